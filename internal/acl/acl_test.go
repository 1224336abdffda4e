package acl_test

import (
	"io"
	"log/slog"
	"strings"
	"testing"

	"github.com/redis-clone/redis-clone/internal/acl"
	"github.com/redis-clone/redis-clone/internal/command"
	"github.com/redis-clone/redis-clone/internal/config"
	"github.com/redis-clone/redis-clone/internal/core"
)

func newRegistry(t *testing.T) *acl.Registry {
	t.Helper()
	srv := core.NewServer(config.Default(), command.Table(), slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err := command.SetupACL(srv); err != nil {
		t.Fatal(err)
	}
	return srv.Security().(*acl.Registry)
}

// The rules ACL LIST shows rebuild the same user (Redis checks the same
// in ACLDescribeSelectorCommandRules).
func TestDescribeRoundTrip(t *testing.T) {
	r := newRegistry(t)
	for i, rules := range []string{
		"on nopass ~* &* +@all",
		"on >pw ~a:* %R~b:* %W~c:* resetchannels &x +@read -get +set",
		"off +@all -@dangerous -@write +flushall +config|get",
		"on -@all +client -client|kill +select|0 +select|1",
		"on +@hash +@string -hset (~sel:* +get) (&ch +publish %R~r*)",
		"on nocommands +@slow -@admin +@fast",
	} {
		name := "u" + string(rune('a'+i))
		if msg := r.SetUser(name, strings.Fields(rules)); msg != "" {
			t.Fatalf("%q: %s", rules, msg)
		}
		desc := r.Describe(r.User(name))
		if msg := r.SetUser(name+"2", append([]string{"reset"}, splitSelectors(desc)...)); msg != "" {
			t.Fatalf("re-applying %q: %s", desc, msg)
		}
		if got := strings.Replace(r.Describe(r.User(name+"2")), "sanitize-payload ", "", 1); got != desc {
			t.Errorf("%q:\n described %q\n rebuilt   %q", rules, desc, got)
		}
	}
}

// splitSelectors splits a description into rules, keeping "(...)" whole.
func splitSelectors(s string) []string {
	var out []string
	for s != "" {
		s = strings.TrimLeft(s, " ")
		if strings.HasPrefix(s, "(") {
			end := strings.IndexByte(s, ')')
			out = append(out, s[:end+1])
			s = s[end+1:]
			continue
		}
		i := strings.IndexByte(s, ' ')
		if i < 0 {
			out = append(out, s)
			break
		}
		out = append(out, s[:i])
		s = s[i:]
	}
	return out
}

// Denials are ordered as Redis orders them: a channel or key failure in
// one selector beats a command failure in another.
func TestDryRunRelevance(t *testing.T) {
	r := newRegistry(t)
	if msg := r.SetUser("x", strings.Fields("on nopass ~k* +@all (+get ~other)")); msg != "" {
		t.Fatal(msg)
	}
	u := r.User("x")
	srvCmd := lookup(t, r, "set")
	if got := r.DryRun(u, srvCmd, [][]byte{[]byte("set"), []byte("zz"), []byte("1")}); got != "This user has no permissions to access the 'zz' key" {
		t.Errorf("got %q", got)
	}
}

func lookup(t *testing.T, r *acl.Registry, name string) *core.Command {
	t.Helper()
	c := r.Command(name)
	if c == nil {
		t.Fatalf("no command %s", name)
	}
	return c
}
