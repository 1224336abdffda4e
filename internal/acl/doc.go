// Package acl is Redis 7.0's access control: the users (the default user
// included), their rules and selectors, the permission check the executor
// runs before every command, the ACL log, and the ACL file and "user"
// config lines.
//
// It owns the user table of one server (Registry). The command table is
// read once at Setup: every command and subcommand gets an id (a bit in
// a selector's command bitmap) and its ACL categories, which come from
// the command package (the categories of COMMAND INFO, i.e. Redis's JSON
// command table plus those implied by flags).
//
// How a command is checked (Registry.Check, called by core's executor
// through core.Security, after authentication and before queueing or
// running): the client's user is looked up by name; each selector of the
// user (the root selector first) is tried, and the command is allowed as
// soon as one selector allows all of
//
//   - the command: its bit (or allcommands), or an allowed first argument
//     (+cmd|arg) for a command without subcommands;
//   - the keys: found with the command's key specs (the same code as
//     COMMAND GETKEYS, supplied by the command package as Env.Keys); a
//     key's spec flags ACCESS → needs a pattern with R, INSERT, DELETE,
//     UPDATE → W, and the key must match one such pattern (stringmatch);
//   - the channels: PUBLISH/SPUBLISH's channel and the (P|S)SUBSCRIBE
//     arguments must match one of the selector's channel patterns
//     (a PSUBSCRIBE pattern must equal one literally).
//
// When no selector allows it, the most relevant failure (channel > key >
// command, then the later argument) becomes the NOPERM reply and an ACL
// LOG entry. Changing users kills clients as Redis does: ACL DELUSER and
// ACL LOAD kill the clients of the removed users; a SETUSER that revokes
// channels kills that user's subscribers of the revoked channels.
package acl
