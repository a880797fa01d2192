// Imported by a and b: esbuild puts it in a chunk of its own.
export class UserFormatter {
  format(u) {
    return "User " + u.name;
  }
}

export function formatUser(u) {
  return new UserFormatter().format(u);
}
