/**
 * The users of a nats-server configuration and the environment variable each one's password comes
 * from (`user: gateway` + `password: $ACCORD_NATS_GATEWAY_PASS` → gateway → ACCORD_NATS_GATEWAY_PASS).
 */
export function natsUsers(config: string): ReadonlyMap<string, string> {
  const users = new Map<string, string>();
  const uncommented = config.replace(/#.*$/gm, '');
  for (const match of uncommented.matchAll(/\buser:\s*"?([\w-]+)"?\s+password:\s*\$(\w+)/g))
    users.set(match[1]!, match[2]!);
  return users;
}

/** Every `$VARIABLE` a nats-server configuration reads from its environment (comments excluded). */
export function natsConfigVariables(config: string): ReadonlySet<string> {
  const uncommented = config.replace(/#.*$/gm, '');
  // `$JS.API…` inside quoted subjects is not a variable: only bare `$NAME` values are.
  return new Set([...uncommented.matchAll(/:\s*\$([A-Za-z_]\w*)\s*$/gm)].map((match) => match[1]!));
}
