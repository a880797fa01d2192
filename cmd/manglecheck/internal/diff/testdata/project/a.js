// Entry a: loads the shared module only.
import { formatUser } from "./shared.js";

console.log(formatUser({ name: "ann" }));
