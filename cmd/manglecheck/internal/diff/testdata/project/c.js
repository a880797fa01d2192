// Entry c: loads the utilities only, so a change to shared.js must leave
// it (and the utilities' chunk) byte for byte the same.
import { clamp } from "./util.js";

console.log(clamp(7));
