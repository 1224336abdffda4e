// Package stream implements Redis's stream value (t_stream.c): entries
// with 128-bit IDs (ms-seq) and field-value pairs, kept in ID order, plus
// the stream's counters and its consumer groups. OBJECT ENCODING reports
// "stream".
//
// # Layout
//
// Entries live in macro nodes, as in Redis, where each node is one
// listpack in a radix tree: a node starts with a master entry (the fields
// of its first entry) and holds up to stream-node-max-entries entries and
// about stream-node-max-bytes bytes. Here a node is a compact byte slice
// (entries delta-encoded against the node's master ID, fields omitted when
// they equal the master fields) plus an offset index for binary search,
// and the nodes are indexed by master ID in a B-tree
// (github.com/tidwall/btree). Node boundaries are exactly Redis's: Append
// computes the size of the listpack Redis would hold, so approximate
// trimming (MAXLEN ~, MINID ~, LIMIT), which removes whole nodes only,
// and XINFO's radix-tree-keys give Redis's numbers. XDEL marks an entry
// deleted inside its node and removes the node with its last live entry.
//
// Consumer groups hold their last delivered ID, read counter, a pending
// entries list (PEL: ID → delivery time, count, owner) and consumers
// (name, seen time, own PEL sharing the group's NACKs). Groups and
// consumers iterate in byte-wise name order, PELs in ID order, as Redis's
// radix trees do.
//
// # API for commands
//
// New constructs; Append (with Limits from the configuration), Delete and
// Trim write; Range (either direction), Get, Exists, EdgeID, LastValidID
// read; LastID, FirstID, MaxDeletedID and EntriesAdded are plain fields
// the commands maintain as Redis does (XDEL sets MaxDeletedID, XSETID
// all of them). EstimateDistance, RangeHasTombstones and Lag implement the
// consumer group read counter and lag. Group, CreateGroup, DestroyGroup,
// Groups and the Group and Consumer methods (Deliver, Ack, AddPending,
// Claim, RangePending …) manage groups. ParseID parses IDs exactly as
// Redis's streamGenericParseIDOrReply. Clone deep-copies a stream with its
// groups (COPY, snapshots). Entry slices alias the stream: valid during
// the callback only.
//
// # API for persistence
//
// An RDB encoder iterates Nodes (master ID, master fields, every entry
// with its deleted and same-fields flags: exactly the content of Redis's
// listpack per node), then writes Len, LastID, FirstID, MaxDeletedID,
// EntriesAdded and the groups (Groups; per group LastID, EntriesRead,
// RangePending over its PEL; Consumers with SeenTime and their own
// RangePending). A loader calls New, AppendNode per listpack in order,
// sets the four counters, then CreateGroup, NewNACK and LoadPending for
// each PEL entry, CreateConsumer and LoadConsumerPending for each
// consumer's entries. RewriteCommands emits the commands Redis's AOF
// rewrite writes for a stream (XADD …, XSETID, XGROUP CREATE, XCLAIM …
// FORCE JUSTID, XGROUP CREATECONSUMER).
package stream
