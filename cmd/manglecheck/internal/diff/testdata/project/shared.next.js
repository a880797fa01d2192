// shared.js in the next build: a class compared by name (a new
// name-compare finding in the shared chunk).
export class UserFormatter {
  format(u) {
    return "User " + u.name;
  }
}

export class Widget {}

export function formatUser(u = new Widget()) {
  if (u.constructor.name === "Widget") {
    return "widget";
  }
  return new UserFormatter().format(u);
}
