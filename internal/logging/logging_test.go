package logging

import (
	"bytes"
	"fmt"
	"os"
	"strings"
	"testing"
)

func TestRoleCharacter(t *testing.T) {
	var buf bytes.Buffer
	l, _ := New(&buf, "notice")
	child := l.With("k", "v")
	l.Info("one")
	SetRole(child, 'S')
	l.Info("two")
	SetRole(l, 'M')
	child.Info("three")
	lines := strings.Split(strings.TrimSpace(buf.String()), "\n")
	if len(lines) != 3 {
		t.Fatalf("got %d lines: %q", len(lines), buf.String())
	}
	for i, want := range []string{"M", "S", "M"} {
		prefix := fmt.Sprintf("%d:%s ", os.Getpid(), want)
		if !strings.HasPrefix(lines[i], prefix) {
			t.Errorf("line %d = %q, want prefix %q", i, lines[i], prefix)
		}
	}
}
