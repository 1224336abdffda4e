package acl

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// SetUser is ACLStringSetUser: it applies rules to a copy of the named
// user (a new user if none), and on success stores it, killing the
// subscribers whose channels were revoked. The error is the full reply
// text without "ERR ".
func (r *Registry) SetUser(name string, rules []string) string {
	merged, bad := mergeSelectorArgs(rules)
	if bad >= 0 {
		return fmt.Sprintf("Unmatched parenthesis in acl selector starting at '%s'.", rules[bad])
	}
	orig := r.users[name]
	var tmp *User
	if orig != nil {
		tmp = orig.clone(name)
	} else {
		tmp = r.newUser(name)
	}
	for _, op := range merged {
		if err := tmp.apply(r, op); err != nil {
			return fmt.Sprintf("Error in ACL SETUSER modifier '%s': %s", op, err)
		}
	}
	if orig != nil {
		r.killRevokedSubscribers(tmp, orig)
		// Keep the identity: the default user is referenced directly.
		*orig = *tmp
		return ""
	}
	r.users[name] = tmp
	return ""
}

// DelUsers is ACL DELUSER after its check for "default": it removes the
// named users, kills their clients and returns how many existed.
func (r *Registry) DelUsers(names []string) int {
	gone := map[string]bool{}
	for _, n := range names {
		if _, ok := r.users[n]; ok {
			delete(r.users, n)
			gone[n] = true
		}
	}
	if len(gone) > 0 {
		r.killClientsOf(gone)
	}
	return len(gone)
}

// configUser is one "user" directive waiting for the final load.
type configUser struct {
	rules []string // name first
}

// LoadConfigUsers is ACLAppendUserForLoading plus ACLLoadConfiguredUsers
// for the "user" lines of the config (each line's arguments after
// "user"), and then ACLLoadFromFile for aclfile: what Redis does at
// startup. A returned error stops the server.
func (r *Registry) LoadConfigUsers(lines [][]string, aclfile string) error {
	if aclfile != "" && len(lines) > 0 {
		return fmt.Errorf("Configuring Redis with users defined in redis.conf and at the same setting an ACL file path is invalid. This setup is very likely to lead to configuration errors and security holes, please define either an ACL file or declare users directly in your redis.conf, but not both.")
	}
	seen := map[string]bool{}
	var todo []configUser
	for _, l := range lines {
		if len(l) < 1 {
			continue
		}
		if seen[l[0]] {
			return fmt.Errorf("Error in user declaration '%s': Duplicate user found. A user can only be defined once in config files", l[0])
		}
		seen[l[0]] = true
		merged, bad := mergeSelectorArgs(l[1:])
		if bad >= 0 {
			return fmt.Errorf("Error in user declaration '%s': Unmatched parenthesis in acl selector starting at '%s'.", l[0], l[1+bad])
		}
		fake := r.newUser("__fakeuser__")
		for _, op := range merged {
			if err := fake.apply(r, op); err != nil && err != errUnknown {
				return fmt.Errorf("Error in user declaration '%s': %s", op, err)
			}
		}
		todo = append(todo, configUser{append([]string{l[0]}, merged...)})
	}
	for _, cu := range todo {
		name := cu.rules[0]
		if hasSpaces(name) {
			return fmt.Errorf("Spaces not allowed in ACL usernames")
		}
		u := r.users[name]
		if u == nil {
			u = r.newUser(name)
			r.users[name] = u
		} else {
			_ = u.apply(r, "reset")
		}
		for _, op := range cu.rules[1:] {
			if err := u.apply(r, op); err != nil {
				return fmt.Errorf("Error loading ACL rule '%s' for the user named '%s': %s", op, name, err)
			}
		}
		if u.flags&flagDisabled != 0 {
			r.srv.Log.Info(fmt.Sprintf("The user '%s' is disabled (there is no 'on' modifier in the user description). Make sure this is not a configuration error.", name))
		}
	}
	if aclfile != "" {
		if msg := r.LoadFile(aclfile); msg != "" {
			return fmt.Errorf("Aborting Redis startup because of ACL errors: %s", msg)
		}
	}
	return nil
}

// LoadFile is ACLLoadFromFile: it replaces all users with those of the
// file (all or nothing), killing the clients of the replaced users. It
// returns "" or the error text.
func (r *Registry) LoadFile(path string) string {
	data, err := os.ReadFile(path)
	if err != nil {
		return fmt.Sprintf("Error loading ACLs, opening file '%s': %s", path, errText(err))
	}
	aclName := path
	users := map[string]*User{}
	var errs strings.Builder
	for i, line := range strings.Split(string(data), "\n") {
		num := i + 1
		line = strings.Trim(line, " \t\r\n")
		if line == "" {
			continue
		}
		argv := strings.Split(line, " ")
		if argv[0] != "user" || len(argv) < 2 {
			fmt.Fprintf(&errs, "%s:%d should start with user keyword followed by the username. ", aclName, num)
			continue
		}
		if hasSpaces(argv[1]) || argv[1] == "" {
			fmt.Fprintf(&errs, "'%s:%d: username '%s' contains invalid characters. ", aclName, num, argv[1])
			continue
		}
		if users[argv[1]] != nil {
			fmt.Fprintf(&errs, "WARNING: Duplicate user '%s' found on line %d. ", argv[1], num)
			continue
		}
		u := r.newUser(argv[1])
		users[argv[1]] = u
		merged, bad := mergeSelectorArgs(argv[2:])
		if bad >= 0 {
			fmt.Fprintf(&errs, "%s:%d: Unmatched parenthesis in selector definition.", aclName, num)
		}
		syntax := false
		for _, op := range merged {
			op = strings.Trim(op, "\t\r\n")
			if err := u.apply(r, op); err != nil {
				if err == errUnknown {
					fmt.Fprintf(&errs, "%s:%d: Error in applying operation '%s': %s. ", aclName, num, op, err)
				} else if !syntax {
					fmt.Fprintf(&errs, "%s:%d: %s. ", aclName, num, err)
					syntax = true
				}
			}
		}
	}
	if errs.Len() > 0 {
		return errs.String() + "WARNING: ACL errors detected, no change to the previously active ACL rules was performed"
	}
	nd := users["default"]
	if nd == nil {
		nd = r.newDefaultUser()
	}
	old := r.users
	*r.def = *nd
	r.def.Name = "default"
	users["default"] = r.def
	r.users = users
	gone := map[string]bool{}
	for n := range old {
		if n != "default" {
			gone[n] = true
		}
	}
	r.killClientsOf(gone)
	return ""
}

func errText(err error) string {
	if pe, ok := err.(*os.PathError); ok {
		err = pe.Err
	}
	s := err.Error()
	if s != "" {
		s = strings.ToUpper(s[:1]) + s[1:]
	}
	return s
}

// SaveFile is ACLSaveToFile: every user as a "user" line, written to a
// temporary file renamed over path.
func (r *Registry) SaveFile(path string) error {
	var b strings.Builder
	for _, l := range r.Lines() {
		b.WriteString("user " + l + "\n")
	}
	tmp := fmt.Sprintf("%s.tmp-%d-%d", path, os.Getpid(), r.srv.Now())
	if err := os.WriteFile(tmp, []byte(b.String()), 0o644); err != nil {
		r.srv.Log.Warn("Writing ACL file for ACL SAVE: " + err.Error())
		_ = os.Remove(tmp)
		return err
	}
	if err := os.Rename(tmp, path); err != nil {
		r.srv.Log.Warn("Renaming ACL file for ACL SAVE: " + err.Error())
		_ = os.Remove(tmp)
		return err
	}
	if d, err := os.Open(filepath.Dir(path)); err == nil {
		_ = d.Sync()
		d.Close()
	}
	return nil
}

// Lines returns "name rules" for every user, sorted by name: ACL LIST
// without the "user " prefix, and what CONFIG REWRITE writes.
func (r *Registry) Lines() []string {
	var out []string
	for _, n := range r.Users() {
		out = append(out, n+" "+r.Describe(r.users[n]))
	}
	return out
}
