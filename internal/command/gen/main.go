// Command gen turns the command description files of a Redis source tree
// (src/commands/*.json) into commanddocs.json, the compact table that
// COMMAND INFO and COMMAND DOCS read: summaries, history, argument trees,
// key specifications and tips, with names and flags normalised the way
// Redis reports them (lower-case names and flags, "sorted-set" group,
// upper-case tokens).
//
// Usage (from internal/command, see the go:generate line in docs.go):
//
//	go run ./gen -src /opt/redis-src/redis-7.0.15/src/commands -out commanddocs.json
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// The input format: one object per file, {"NAME": {...}}.
type srcCommand struct {
	Summary         string        `json:"summary"`
	Complexity      string        `json:"complexity"`
	Group           string        `json:"group"`
	Since           string        `json:"since"`
	Arity           int           `json:"arity"`
	Container       string        `json:"container"`
	History         [][2]string   `json:"history"`
	DocFlags        []string      `json:"doc_flags"`
	DeprecatedSince string        `json:"deprecated_since"`
	ReplacedBy      string        `json:"replaced_by"`
	CommandFlags    []string      `json:"command_flags"`
	ACLCategories   []string      `json:"acl_categories"`
	CommandTips     []string      `json:"command_tips"`
	KeySpecs        []srcKeySpec  `json:"key_specs"`
	GetKeysFunction string        `json:"get_keys_function"`
	Arguments       []srcArgument `json:"arguments"`
}

type srcKeySpec struct {
	Notes       string   `json:"notes"`
	Flags       []string `json:"flags"`
	BeginSearch struct {
		Index *struct {
			Pos int `json:"pos"`
		} `json:"index"`
		Keyword *struct {
			Keyword   string `json:"keyword"`
			StartFrom int    `json:"startfrom"`
		} `json:"keyword"`
	} `json:"begin_search"`
	FindKeys struct {
		Range *struct {
			LastKey int `json:"lastkey"`
			Step    int `json:"step"`
			Limit   int `json:"limit"`
		} `json:"range"`
		KeyNum *struct {
			KeyNumIdx int `json:"keynumidx"`
			FirstKey  int `json:"firstkey"`
			Step      int `json:"step"`
		} `json:"keynum"`
	} `json:"find_keys"`
}

type srcArgument struct {
	Name            string        `json:"name"`
	Type            string        `json:"type"`
	KeySpecIndex    *int          `json:"key_spec_index"`
	Token           string        `json:"token"`
	Summary         string        `json:"summary"`
	Since           string        `json:"since"`
	DeprecatedSince string        `json:"deprecated_since"`
	Optional        bool          `json:"optional"`
	Multiple        bool          `json:"multiple"`
	MultipleToken   bool          `json:"multiple_token"`
	Arguments       []srcArgument `json:"arguments"`
}

// The output format; internal/command/docs.go reads the same shape.
type outCommand struct {
	Name            string        `json:"name"`
	Summary         string        `json:"summary,omitempty"`
	Complexity      string        `json:"complexity,omitempty"`
	Since           string        `json:"since,omitempty"`
	Group           string        `json:"group"`
	DocFlags        []string      `json:"doc_flags,omitempty"`
	DeprecatedSince string        `json:"deprecated_since,omitempty"`
	ReplacedBy      string        `json:"replaced_by,omitempty"`
	History         [][2]string   `json:"history,omitempty"`
	Tips            []string      `json:"tips,omitempty"`
	Arity           int           `json:"arity"`
	Flags           []string      `json:"flags,omitempty"`
	ACL             []string      `json:"acl,omitempty"`
	KeySpecs        []outKeySpec  `json:"key_specs,omitempty"`
	GetKeys         bool          `json:"getkeys,omitempty"`
	Args            []outArgument `json:"args,omitempty"`
}

type outKeySpec struct {
	Notes     string   `json:"notes,omitempty"`
	Flags     []string `json:"flags,omitempty"`
	BS        string   `json:"bs"` // index, keyword or unknown
	Index     int      `json:"index,omitempty"`
	Keyword   string   `json:"keyword,omitempty"`
	StartFrom int      `json:"startfrom,omitempty"`
	FK        string   `json:"fk"` // range, keynum or unknown
	LastKey   int      `json:"lastkey,omitempty"`
	KeyStep   int      `json:"keystep,omitempty"`
	Limit     int      `json:"limit,omitempty"`
	KeyNumIdx int      `json:"keynumidx,omitempty"`
	FirstKey  int      `json:"firstkey,omitempty"`
}

type outArgument struct {
	Name            string        `json:"name"`
	Type            string        `json:"type"`
	KeySpecIndex    int           `json:"ksi"`             // -1: not a key
	Token           *string       `json:"token,omitempty"` // may be present and empty
	Summary         string        `json:"summary,omitempty"`
	Since           string        `json:"since,omitempty"`
	DeprecatedSince string        `json:"deprecated_since,omitempty"`
	Flags           []string      `json:"flags,omitempty"`
	Args            []outArgument `json:"args,omitempty"`
}

func main() {
	src := flag.String("src", "/opt/redis-src/redis-7.0.15/src/commands", "directory of Redis command JSON files")
	out := flag.String("out", "commanddocs.json", "output file")
	flag.Parse()
	cmds, err := load(*src)
	if err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
	b, err := json.Marshal(cmds)
	if err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
	b = append(b, '\n')
	if err := os.WriteFile(*out, b, 0o644); err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
}

func load(dir string) ([]outCommand, error) {
	files, err := filepath.Glob(filepath.Join(dir, "*.json"))
	if err != nil {
		return nil, err
	}
	if len(files) == 0 {
		return nil, fmt.Errorf("no JSON files in %s", dir)
	}
	var out []outCommand
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			return nil, err
		}
		var m map[string]srcCommand
		if err := json.Unmarshal(data, &m); err != nil {
			return nil, fmt.Errorf("%s: %w", f, err)
		}
		for name, c := range m {
			if has(c.CommandFlags, "ONLY_SENTINEL") {
				continue // not part of a Redis server's table
			}
			out = append(out, convert(name, c))
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, nil
}

func has(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func lower(in []string) []string {
	if len(in) == 0 {
		return nil
	}
	out := make([]string, len(in))
	for i, s := range in {
		out[i] = strings.ToLower(s)
	}
	return out
}

func convert(name string, c srcCommand) outCommand {
	full := strings.ToLower(name)
	if c.Container != "" {
		full = strings.ToLower(c.Container) + "|" + full
	}
	group := c.Group
	if group == "sorted_set" {
		group = "sorted-set"
	}
	o := outCommand{
		Name:            full,
		Summary:         c.Summary,
		Complexity:      c.Complexity,
		Since:           c.Since,
		Group:           group,
		DocFlags:        lower(c.DocFlags),
		DeprecatedSince: c.DeprecatedSince,
		ReplacedBy:      c.ReplacedBy,
		History:         c.History,
		Tips:            lower(c.CommandTips),
		Arity:           c.Arity,
		Flags:           lower(c.CommandFlags),
		ACL:             lower(c.ACLCategories),
		GetKeys:         c.GetKeysFunction != "",
	}
	for _, ks := range c.KeySpecs {
		k := outKeySpec{Notes: ks.Notes, Flags: ks.Flags}
		switch {
		case ks.BeginSearch.Index != nil:
			k.BS, k.Index = "index", ks.BeginSearch.Index.Pos
		case ks.BeginSearch.Keyword != nil:
			k.BS, k.Keyword, k.StartFrom = "keyword", ks.BeginSearch.Keyword.Keyword, ks.BeginSearch.Keyword.StartFrom
		default:
			k.BS = "unknown"
		}
		switch {
		case ks.FindKeys.Range != nil:
			r := ks.FindKeys.Range
			k.FK, k.LastKey, k.KeyStep, k.Limit = "range", r.LastKey, r.Step, r.Limit
		case ks.FindKeys.KeyNum != nil:
			n := ks.FindKeys.KeyNum
			k.FK, k.KeyNumIdx, k.FirstKey, k.KeyStep = "keynum", n.KeyNumIdx, n.FirstKey, n.Step
		default:
			k.FK = "unknown"
		}
		o.KeySpecs = append(o.KeySpecs, k)
	}
	o.Args = convertArgs(c.Arguments)
	return o
}

// cLiteral returns what Redis's generator makes of s, which it pastes
// between double quotes into C source: unescaped quotes inside end one
// literal and start the next, so they vanish (migrate's token `""` is the
// empty string).
func cLiteral(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		switch {
		case s[i] == '\\' && i+1 < len(s):
			b.WriteByte(s[i+1])
			i++
		case s[i] == '"':
		default:
			b.WriteByte(s[i])
		}
	}
	return b.String()
}

func convertArgs(in []srcArgument) []outArgument {
	if len(in) == 0 {
		return nil
	}
	out := make([]outArgument, len(in))
	for i, a := range in {
		o := outArgument{
			Name:            strings.ToLower(a.Name),
			Type:            a.Type,
			KeySpecIndex:    -1,
			Summary:         a.Summary,
			Since:           a.Since,
			DeprecatedSince: a.DeprecatedSince,
			Args:            convertArgs(a.Arguments),
		}
		if a.KeySpecIndex != nil {
			o.KeySpecIndex = *a.KeySpecIndex
		}
		if a.Token != "" {
			tok := strings.ToUpper(cLiteral(a.Token))
			o.Token = &tok
		}
		if a.Optional {
			o.Flags = append(o.Flags, "optional")
		}
		if a.Multiple {
			o.Flags = append(o.Flags, "multiple")
		}
		if a.MultipleToken {
			o.Flags = append(o.Flags, "multiple_token")
		}
		out[i] = o
	}
	return out
}
