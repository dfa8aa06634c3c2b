package snapshot

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
)

// Location is a 1-based, inclusive range of lines in a snapshot file.
type Location struct {
	StartLine int
	EndLine   int
}

// LineIndex finds the lines of snapshot entities. Index builds it in one
// pass over the file, recording where every entity object begins and ends,
// so it works for the canonical 2-space layout and for any other valid JSON
// layout; Locate is then a few map look-ups. A nil *LineIndex locates
// everything at line 1.
type LineIndex struct {
	account  Location
	hasAcct  bool
	entities map[string]Location // users, groups, roles, policies by "arn"
	credRows map[string]Location // credential report rows by "arn"
	rootRow  Location
	hasRoot  bool
	mfa      map[string]Location // virtual MFA devices by serial_number (an ARN)
	profiles map[string]Location // aws_config.profiles by name
	blocks   map[string]Location // top-level keys: the key's line through the end of its value
	sources  map[string]Location // entries of the "sources" status map
}

// CLIProfilePrefix starts the resource ARN of a local AWS CLI profile
// (awscli:profile/NAME).
const CLIProfilePrefix = "awscli:profile/"

// sourceKeys maps source names (as checks list them in requires) to the
// top-level key holding their data.
var sourceKeys = map[string]string{
	SourceCallerIdentity:    "caller",
	SourceCredentialReport:  "credential_report",
	SourceAccountSummary:    "account_summary",
	SourcePasswordPolicy:    "password_policy",
	SourceAccountAliases:    "account",
	SourceVirtualMFADevices: "virtual_mfa_devices",
	SourceAWSConfig:         "aws_config",
}

// entityLists are the top-level arrays whose objects carry an "arn".
var entityLists = map[string]bool{"users": true, "groups": true, "roles": true, "policies": true}

// Index indexes the bytes of a snapshot file with a small single-pass
// scanner (a snapshot can be tens of megabytes; encoding/json's token API is
// an order of magnitude slower). Only structure is checked, not every
// scalar: a snapshot is schema-validated when it is loaded. Data that cannot
// be scanned gives an error naming the line.
func Index(data []byte) (*LineIndex, error) {
	ix := &LineIndex{
		entities: map[string]Location{},
		credRows: map[string]Location{},
		mfa:      map[string]Location{},
		blocks:   map[string]Location{},
		sources:  map[string]Location{},
		profiles: map[string]Location{},
	}
	sc := &scanner{data: data, lineNo: 1}
	err := sc.object(func(key string) error {
		start := sc.line(sc.pos)
		var err error
		switch {
		case key == "account":
			var r Location
			if r, _, err = sc.fields("", ""); err == nil && r.StartLine > 0 {
				ix.account, ix.hasAcct = r, true
			}
		case entityLists[key]:
			err = sc.indexArray("arn", ix.entities)
		case key == "virtual_mfa_devices":
			err = sc.indexArray("serial_number", ix.mfa)
		case key == "credential_report":
			err = sc.credentialReport(ix)
		case key == "aws_config" && sc.peek() == '{':
			err = sc.object(func(k string) error {
				if k == "profiles" {
					return sc.indexArray("name", ix.profiles)
				}
				return sc.skipValue()
			})
		case key == "sources" && sc.peek() == '{':
			err = sc.object(func(src string) error {
				start := sc.line(sc.pos)
				if err := sc.skipValue(); err != nil {
					return err
				}
				ix.sources[src] = Location{start, sc.line(sc.pos - 1)}
				return nil
			})
		default:
			err = sc.skipValue()
		}
		if err != nil {
			return err
		}
		ix.blocks[key] = Location{start, sc.line(sc.pos - 1)}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if sc.peek() != 0 {
		return nil, sc.errorf("unexpected data after the snapshot object")
	}
	return ix, nil
}

// Locate returns the lines of what a result is about, from its resource's
// ARN and type and the sources its check requires. It tries, in order: the
// user, group, role or policy with that ARN; for the root user its
// credential report row; a credential report row or virtual MFA device with
// that ARN; an AWS CLI profile (awscli:profile/NAME) in aws_config. A named
// IAM entity that is still not found falls back to the "account" block.
// Account-level results (and resources without an ARN, like local files)
// point at the data block of the first source the check requires, or at
// that source's status entry when its data is absent, and otherwise at the
// "account" block. found is false when only the fallback (the account
// block, or line 1 when there is none) applied.
func (ix *LineIndex) Locate(arn, resourceType string, requires []string) (loc Location, found bool) {
	if ix == nil {
		return Location{1, 1}, false
	}
	if r, ok := ix.entities[arn]; ok {
		return r, true
	}
	if isRootARN(arn) {
		if r, ok := ix.credRows[arn]; ok {
			return r, true
		}
		if ix.hasRoot {
			return ix.rootRow, true
		}
	}
	if r, ok := ix.credRows[arn]; ok && resourceType != "AWS::Account" {
		return r, true
	}
	if r, ok := ix.mfa[arn]; ok {
		return r, true
	}
	if name, ok := strings.CutPrefix(arn, CLIProfilePrefix); ok {
		if r, ok := ix.profiles[name]; ok {
			return r, true
		}
	}
	// A named IAM entity that is not in the snapshot is not "the account":
	// fall back rather than point at an unrelated block.
	if isEntityARN(arn) && resourceType != "AWS::Account" {
		return ix.fallback(), false
	}
	for _, src := range requires {
		if key, ok := sourceKeys[src]; ok {
			if r, ok := ix.blocks[key]; ok {
				return r, true
			}
		}
		if r, ok := ix.sources[src]; ok {
			return r, true
		}
	}
	if (resourceType == "AWS::Account" || isRootARN(arn)) && ix.hasAcct {
		return ix.account, true
	}
	return ix.fallback(), false
}

// fallback is the account block, or line 1 when there is none.
func (ix *LineIndex) fallback() Location {
	if ix.hasAcct {
		return ix.account
	}
	return Location{1, 1}
}

// isEntityARN matches ARNs naming something inside an account
// (arn:...:user/alice), not the account or its root user.
func isEntityARN(arn string) bool {
	parts := strings.SplitN(arn, ":", 6)
	return len(parts) == 6 && parts[0] == "arn" && parts[5] != "" && parts[5] != "root"
}

// isRootARN matches arn:<partition>:iam::<account>:root.
func isRootARN(arn string) bool {
	parts := strings.SplitN(arn, ":", 6)
	return len(parts) == 6 && parts[0] == "arn" && parts[2] == "iam" && parts[5] == "root"
}

// scanner walks JSON bytes. It counts lines as it goes: lineNo is the line
// of byte lineOff, so turning an offset into a line costs only the bytes
// since the previous one (offsets mostly grow).
type scanner struct {
	data    []byte
	pos     int
	lineOff int
	lineNo  int
}

// line converts a byte offset to a 1-based line number.
func (s *scanner) line(off int) int {
	off = max(0, min(off, len(s.data)))
	if off >= s.lineOff {
		s.lineNo += bytes.Count(s.data[s.lineOff:off], []byte{'\n'})
	} else {
		s.lineNo -= bytes.Count(s.data[off:s.lineOff], []byte{'\n'})
	}
	s.lineOff = off
	return s.lineNo
}

func (s *scanner) errorf(format string, args ...any) error {
	return fmt.Errorf("snapshot: line %d: %s", s.line(s.pos), fmt.Sprintf(format, args...))
}

func (s *scanner) ws() {
	for s.pos < len(s.data) {
		switch s.data[s.pos] {
		case ' ', '\t', '\n', '\r':
			s.pos++
		default:
			return
		}
	}
}

// peek returns the next non-space byte, or 0 at the end of the input.
func (s *scanner) peek() byte {
	s.ws()
	if s.pos >= len(s.data) {
		return 0
	}
	return s.data[s.pos]
}

func (s *scanner) expect(c byte) error {
	switch got := s.peek(); {
	case got == c:
		s.pos++
		return nil
	case got == 0:
		return s.errorf("unexpected end of data, expected %q", c)
	default:
		return s.errorf("expected %q, found %q", c, got)
	}
}

// str reads a string token and returns its value.
func (s *scanner) str() (string, error) {
	raw, escaped, err := s.rawStr()
	if err != nil || !escaped {
		return string(raw[1 : len(raw)-1]), err
	}
	var v string
	if err := json.Unmarshal(raw, &v); err != nil {
		return "", s.errorf("bad string: %v", err)
	}
	return v, nil
}

// rawStr reads a string token and returns it with its quotes, and whether
// it holds an escape.
func (s *scanner) rawStr() (raw []byte, escaped bool, err error) {
	if err := s.expect('"'); err != nil {
		return []byte(`""`), false, err
	}
	start := s.pos - 1
	for s.pos < len(s.data) {
		switch c := s.data[s.pos]; {
		case c == '\\':
			escaped = true
			s.pos += 2
			continue
		case c == '"':
			s.pos++
			return s.data[start:s.pos], escaped, nil
		case c < 0x20:
			return []byte(`""`), false, s.errorf("control character in string")
		}
		s.pos++
	}
	return []byte(`""`), false, s.errorf("unexpected end of data in a string")
}

// skipValue skips one value, checking that brackets match.
func (s *scanner) skipValue() error {
	switch c := s.peek(); c {
	case 0:
		return s.errorf("unexpected end of data, expected a value")
	case '"':
		_, _, err := s.rawStr()
		return err
	case '{', '[':
		var stack []byte
		for s.pos < len(s.data) {
			switch c := s.data[s.pos]; c {
			case '"':
				if _, _, err := s.rawStr(); err != nil {
					return err
				}
				continue
			case '{', '[':
				stack = append(stack, c)
			case '}', ']':
				if len(stack) == 0 || (c == '}') != (stack[len(stack)-1] == '{') {
					return s.errorf("unexpected %q", c)
				}
				stack = stack[:len(stack)-1]
				if len(stack) == 0 {
					s.pos++
					return nil
				}
			}
			s.pos++
		}
		return s.errorf("unexpected end of data inside an object or array")
	case '}', ']', ',', ':':
		return s.errorf("unexpected %q, expected a value", c)
	}
	// A number, true, false or null.
	start := s.pos
	for s.pos < len(s.data) && !strings.ContainsRune(" \t\r\n,}]:", rune(s.data[s.pos])) {
		s.pos++
	}
	if s.pos == start {
		return s.errorf("expected a value")
	}
	return nil
}

// object reads an object, calling member with each key; member must consume
// the value.
func (s *scanner) object(member func(key string) error) error {
	if err := s.expect('{'); err != nil {
		return err
	}
	if s.peek() == '}' {
		s.pos++
		return nil
	}
	for {
		key, err := s.str()
		if err != nil {
			return err
		}
		if err := s.expect(':'); err != nil {
			return err
		}
		s.ws()
		if err := member(key); err != nil {
			return err
		}
		switch c := s.peek(); c {
		case ',':
			s.pos++
		case '}':
			s.pos++
			return nil
		case 0:
			return s.errorf("unexpected end of data in an object")
		default:
			return s.errorf("expected ',' or '}', found %q", c)
		}
	}
}

// array reads an array, calling elem for each element; elem must consume it.
// Any other value (null, an object...) is skipped: it holds no elements.
func (s *scanner) array(elem func() error) error {
	if s.peek() != '[' {
		return s.skipValue()
	}
	if err := s.expect('['); err != nil {
		return err
	}
	if s.peek() == ']' {
		s.pos++
		return nil
	}
	for {
		if err := elem(); err != nil {
			return err
		}
		switch c := s.peek(); c {
		case ',':
			s.pos++
		case ']':
			s.pos++
			return nil
		case 0:
			return s.errorf("unexpected end of data in an array")
		default:
			return s.errorf("expected ',' or ']', found %q", c)
		}
	}
}

// fields reads one value that should be an object, returning its lines and
// the string values of (at most) two wanted top-level fields ("" wants
// nothing). Any other value (null, a number...) is skipped and gives a zero
// Location.
func (s *scanner) fields(want0, want1 string) (Location, [2]string, error) {
	var got [2]string
	if s.peek() != '{' {
		return Location{}, got, s.skipValue()
	}
	start := s.line(s.pos)
	err := s.object(func(key string) error {
		i := -1
		switch {
		case want0 != "" && key == want0:
			i = 0
		case want1 != "" && key == want1:
			i = 1
		}
		if i < 0 || s.peek() != '"' {
			return s.skipValue()
		}
		v, err := s.str()
		got[i] = v
		return err
	})
	if err != nil {
		return Location{}, got, err
	}
	return Location{start, s.line(s.pos - 1)}, got, nil
}

// indexArray reads an array of objects, indexing each by its string field
// idField. The first occurrence of an ID wins.
func (s *scanner) indexArray(idField string, into map[string]Location) error {
	return s.array(func() error {
		r, f, err := s.fields(idField, "")
		if err != nil {
			return err
		}
		if id := f[0]; id != "" {
			if _, dup := into[id]; !dup {
				into[id] = r
			}
		}
		return nil
	})
}

// credentialReport indexes the report's rows by "arn" and finds the root
// user's row ("<root_account>").
func (s *scanner) credentialReport(ix *LineIndex) error {
	if s.peek() != '{' {
		return s.skipValue()
	}
	return s.object(func(key string) error {
		if key != "rows" {
			return s.skipValue()
		}
		return s.array(func() error {
			r, f, err := s.fields("arn", "user")
			if err != nil {
				return err
			}
			if arn := f[0]; arn != "" {
				if _, dup := ix.credRows[arn]; !dup {
					ix.credRows[arn] = r
				}
			}
			if f[1] == "<root_account>" && !ix.hasRoot {
				ix.rootRow, ix.hasRoot = r, true
			}
			return nil
		})
	})
}
