// Entry b: loads the shared module and the utilities.
import { formatUser } from "./shared.js";
import { clamp } from "./util.js";

console.log(formatUser({ name: "bob" }), clamp(5));
