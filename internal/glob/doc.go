// Package glob owns Redis-compatible glob-style pattern matching: the
// semantics of Redis 7.0's stringmatchlen (util.c), used by KEYS, SCAN
// MATCH, PSUBSCRIBE, CONFIG GET, ACL key patterns and friends.
//
// The matcher reproduces Redis byte for byte, including its corner cases:
//
//   - '*' matches any run of bytes (including none), '?' exactly one byte.
//   - "[...]" matches one byte from a set; a leading '^' negates the set;
//     "a-z" is an inclusive range whose ends are swapped when reversed
//     ("[z-a]" == "[a-z]"); '\' inside a set escapes the next byte (and that
//     escaped byte is compared case-sensitively even when nocase is set).
//   - Range ends and the subject byte are compared as signed C chars, so a
//     range such as "[a-\xff]" behaves exactly as it does in Redis on x86.
//   - With nocase, ASCII letters are folded to lower case, after the range
//     ends are swapped (so "[Z-a]" matches nothing case-insensitively).
//   - An unterminated set ("[abc") is closed by the end of the pattern; a
//     bare "[" matches nothing and "[^" matches any single byte. A '-' just
//     before the end forms a range with the following byte, even if that is
//     ']' ("[a-]" is the range ']'..'a', left unterminated).
//   - '\' outside a set escapes the next byte; a trailing '\' is literal.
//   - Protection against abusive patterns (CVE-2022-36021): once the tail
//     after a '*' is known not to match anywhere in the rest of the subject,
//     no earlier '*' retries longer matches, and recursion deeper than 1000
//     nested '*' groups fails the match.
package glob
