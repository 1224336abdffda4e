// Package logging formats the server log the way Redis does
// ("pid:role dd Mon yyyy hh:mm:ss.mmm * message"), so tools and tests that
// read Redis logs read ours, and maps Redis's loglevel names to slog.
package logging

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Level maps a Redis loglevel (debug, verbose, notice, warning, nothing)
// to a slog level.
func Level(name string) slog.Level {
	switch strings.ToLower(name) {
	case "debug":
		return slog.LevelDebug - 4
	case "verbose":
		return slog.LevelDebug
	case "warning":
		return slog.LevelWarn
	case "nothing":
		return slog.LevelError + 100
	}
	return slog.LevelInfo
}

// Handler is a slog.Handler writing Redis-style lines.
type Handler struct {
	mu    *sync.Mutex
	w     io.Writer
	level *slog.LevelVar
	pid   int
	attrs string
	// role is the character after the pid: 'M' for a master, 'S' for a
	// replica (Redis's serverLogRaw). Copies made by WithAttrs share it.
	role *atomic.Uint32
}

// New returns a logger writing to w at the given Redis loglevel, and the
// level variable to change it later (CONFIG SET loglevel).
func New(w io.Writer, level string) (*slog.Logger, *slog.LevelVar) {
	lv := new(slog.LevelVar)
	lv.Set(Level(level))
	h := &Handler{mu: new(sync.Mutex), w: w, level: lv, pid: os.Getpid(), role: new(atomic.Uint32)}
	h.role.Store('M')
	return slog.New(h), lv
}

// SetRole sets the role character l's lines carry after the pid: 'M'
// (master) or 'S' (replica). Loggers not made by New are left alone.
func SetRole(l *slog.Logger, role byte) {
	if h, ok := l.Handler().(*Handler); ok {
		h.role.Store(uint32(role))
	}
}

// Enabled implements slog.Handler.
func (h *Handler) Enabled(_ context.Context, l slog.Level) bool { return l >= h.level.Level() }

// Handle implements slog.Handler.
func (h *Handler) Handle(_ context.Context, r slog.Record) error {
	mark := "*"
	switch {
	case r.Level >= slog.LevelWarn:
		mark = "#"
	case r.Level < slog.LevelInfo && r.Level >= slog.LevelDebug:
		mark = "-"
	case r.Level < slog.LevelDebug:
		mark = "."
	}
	var b strings.Builder
	t := r.Time
	if t.IsZero() {
		t = time.Now()
	}
	fmt.Fprintf(&b, "%d:%c %s %s %s", h.pid, rune(h.role.Load()), t.Format("02 Jan 2006 15:04:05.000"), mark, r.Message)
	b.WriteString(h.attrs)
	r.Attrs(func(a slog.Attr) bool {
		fmt.Fprintf(&b, " %s=%v", a.Key, a.Value)
		return true
	})
	b.WriteByte('\n')
	h.mu.Lock()
	defer h.mu.Unlock()
	_, err := io.WriteString(h.w, b.String())
	return err
}

// WithAttrs implements slog.Handler.
func (h *Handler) WithAttrs(as []slog.Attr) slog.Handler {
	cp := *h
	for _, a := range as {
		cp.attrs += fmt.Sprintf(" %s=%v", a.Key, a.Value)
	}
	return &cp
}

// WithGroup implements slog.Handler.
func (h *Handler) WithGroup(string) slog.Handler { return h }
