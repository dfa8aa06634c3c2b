package snapshot

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"

	"github.com/lockdown-dev/lockdown/internal/fileout"
)

// LoadError is returned for a snapshot that cannot be read or is not valid.
// It names the file, the place (line:column or JSON path) and the problem.
type LoadError struct {
	Path  string
	Place string
	Msg   string
}

func (e *LoadError) Error() string {
	if e.Place == "" {
		return fmt.Sprintf("%s: %s", e.Path, e.Msg)
	}
	return fmt.Sprintf("%s:%s: %s", e.Path, e.Place, e.Msg)
}

// Load reads, schema-validates and decodes the snapshot at path. It returns
// the raw bytes too: they are the evidence renderers point into.
func Load(path string) (*Snapshot, []byte, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return nil, nil, &LoadError{Path: path, Msg: "no such file"}
		}
		return nil, nil, &LoadError{Path: path, Msg: err.Error()}
	}
	s, err := Decode(path, data)
	if err != nil {
		return nil, nil, err
	}
	return s, data, nil
}

// Decode checks data against the snapshot schema and decodes it. name is
// used in errors. The schema check and the decoding into types run at the
// same time; a schema error is reported before a decoding one, as if they
// ran one after the other.
func Decode(name string, data []byte) (*Snapshot, error) {
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, &LoadError{Path: name, Msg: "empty file, expected a lockdown snapshot (JSON)"}
	}
	var s Snapshot
	decoded := make(chan error, 1)
	go func() { decoded <- json.Unmarshal(data, &s) }()
	checkErr := check(name, data)
	decodeErr := <-decoded
	if checkErr != nil {
		return nil, checkErr
	}
	if decodeErr != nil {
		return nil, JSONError(name, data, decodeErr)
	}
	return &s, nil
}

// check parses data as JSON and validates it against the snapshot schema.
func check(name string, data []byte) error {
	var probe any
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	if err := dec.Decode(&probe); err != nil {
		return JSONError(name, data, err)
	}
	if _, err := dec.Token(); err != io.EOF {
		line, col := lineCol(data, int(dec.InputOffset()))
		return &LoadError{Path: name, Place: fmt.Sprintf("%d:%d", line, col), Msg: "unexpected data after the snapshot object"}
	}
	obj, ok := probe.(map[string]any)
	if !ok {
		return &LoadError{Path: name, Msg: "not a JSON object, expected a lockdown snapshot"}
	}
	schema, _ := obj["schema"].(string)
	switch {
	case schema == "":
		return &LoadError{Path: name, Place: "schema", Msg: fmt.Sprintf("missing \"schema\" field; expected %q", SchemaV1)}
	case schema != SchemaV1:
		return &LoadError{Path: name, Place: "schema", Msg: fmt.Sprintf("unsupported schema %q; this build reads %q", schema, SchemaV1)}
	}
	if err := validateSchema(probe); err != nil {
		return &LoadError{Path: name, Place: err.place, Msg: err.msg}
	}
	return nil
}

// JSONError turns a decoding error of the JSON file name (snapshot, report
// or any other lockdown reads) into a *LoadError naming its line and column.
func JSONError(name string, data []byte, err error) error {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syn):
		line, col := lineCol(data, int(syn.Offset))
		return &LoadError{Path: name, Place: fmt.Sprintf("%d:%d", line, col), Msg: "invalid JSON: " + syn.Error()}
	case errors.As(err, &typ):
		line, col := lineCol(data, int(typ.Offset))
		return &LoadError{Path: name, Place: fmt.Sprintf("%d:%d", line, col), Msg: fmt.Sprintf("field %q: cannot use JSON %s as %s", typ.Field, typ.Value, typ.Type)}
	case errors.Is(err, io.ErrUnexpectedEOF):
		line, col := lineCol(data, len(data))
		return &LoadError{Path: name, Place: fmt.Sprintf("%d:%d", line, col), Msg: "truncated JSON: the file ends in the middle of the document"}
	}
	return &LoadError{Path: name, Msg: err.Error()}
}

func lineCol(data []byte, off int) (int, int) {
	if off > len(data) {
		off = len(data)
	}
	line := 1 + bytes.Count(data[:off], []byte("\n"))
	col := off - bytes.LastIndexByte(data[:off], '\n')
	return line, col
}

// Marshal writes the snapshot in its canonical form: entities sorted,
// 2-space indentation, trailing newline. The same snapshot always gives the
// same bytes.
func Marshal(s *Snapshot) ([]byte, error) {
	Normalize(s)
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(s); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// Save writes the canonical form to path: whole or not at all (a temporary
// file renamed into place), mode 0600.
func Save(path string, s *Snapshot) error {
	data, err := Marshal(s)
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	if err := fileout.WriteFile(path, data, fileout.UserNamed); err != nil {
		return fmt.Errorf("writing snapshot %s: %w", path, err)
	}
	return nil
}

// Digest is the report's reference to the exact snapshot bytes evaluated.
func Digest(data []byte) string {
	sum := sha256.Sum256(data)
	return "sha256:" + hex.EncodeToString(sum[:])
}

// Normalize sorts every entity list so that output does not depend on the
// order AWS returned things in.
func Normalize(s *Snapshot) {
	if s.Schema == "" {
		s.Schema = SchemaV1
	}
	sort.Strings(s.Account.Aliases)
	sort.Slice(s.VirtualMFADevices, func(i, j int) bool {
		return s.VirtualMFADevices[i].SerialNumber < s.VirtualMFADevices[j].SerialNumber
	})
	sort.Slice(s.Users, func(i, j int) bool { return s.Users[i].ARN < s.Users[j].ARN })
	sort.Slice(s.Groups, func(i, j int) bool { return s.Groups[i].ARN < s.Groups[j].ARN })
	sort.Slice(s.Roles, func(i, j int) bool { return s.Roles[i].ARN < s.Roles[j].ARN })
	sort.Slice(s.Policies, func(i, j int) bool { return s.Policies[i].ARN < s.Policies[j].ARN })
	for i := range s.Users {
		u := &s.Users[i]
		sort.Strings(u.Groups)
		sortAttached(u.AttachedPolicies)
		sortInline(u.InlinePolicies)
		sortTags(u.Tags)
	}
	for i := range s.Groups {
		sortAttached(s.Groups[i].AttachedPolicies)
		sortInline(s.Groups[i].InlinePolicies)
	}
	for i := range s.Roles {
		r := &s.Roles[i]
		sortAttached(r.AttachedPolicies)
		sortInline(r.InlinePolicies)
		sortTags(r.Tags)
		sort.Strings(r.InstanceProfiles)
	}
	for i := range s.Policies {
		v := s.Policies[i].Versions
		sort.Slice(v, func(a, b int) bool { return versionLess(v[a].VersionID, v[b].VersionID) })
	}
	sort.Slice(s.ServerCertificates, func(i, j int) bool {
		return s.ServerCertificates[i].ARN < s.ServerCertificates[j].ARN
	})
	sort.Slice(s.Regions, func(i, j int) bool { return s.Regions[i].Name < s.Regions[j].Name })
	sort.Slice(s.AccessAnalyzers, func(i, j int) bool { return s.AccessAnalyzers[i].Region < s.AccessAnalyzers[j].Region })
	for i := range s.AccessAnalyzers {
		a := s.AccessAnalyzers[i].Analyzers
		sort.Slice(a, func(x, y int) bool { return a[x].ARN < a[y].ARN })
		for j := range a {
			sortTags(a[j].Tags)
		}
	}
	sort.Slice(s.EC2Instances, func(i, j int) bool { return s.EC2Instances[i].Region < s.EC2Instances[j].Region })
	for i := range s.EC2Instances {
		in := s.EC2Instances[i].Instances
		sort.Slice(in, func(x, y int) bool { return in[x].ID < in[y].ID })
	}
	sort.Slice(s.LambdaFunctions, func(i, j int) bool { return s.LambdaFunctions[i].Region < s.LambdaFunctions[j].Region })
	for i := range s.LambdaFunctions {
		fn := s.LambdaFunctions[i].Functions
		sort.Slice(fn, func(x, y int) bool { return fn[x].ARN < fn[y].ARN })
	}
	if o := s.Organization; o != nil {
		sort.Strings(o.PolicyTypes)
		for i := range o.Path {
			sort.Strings(o.Path[i].SCPs)
			sort.Strings(o.Path[i].RCPs)
		}
		sort.Slice(o.Policies, func(i, j int) bool { return o.Policies[i].ID < o.Policies[j].ID })
	}
	if s.OrganizationsFeatures != nil {
		sort.Strings(s.OrganizationsFeatures.EnabledFeatures)
	}
	if s.AWSConfig != nil {
		p := s.AWSConfig.Profiles
		sort.Slice(p, func(i, j int) bool { return p[i].Name < p[j].Name })
	}
}

// versionLess orders "v2" before "v10".
func versionLess(a, b string) bool {
	na, nb := strings.TrimPrefix(a, "v"), strings.TrimPrefix(b, "v")
	if len(na) != len(nb) {
		return len(na) < len(nb)
	}
	return na < nb
}

func sortAttached(p []AttachedPolicy) {
	sort.Slice(p, func(i, j int) bool { return p[i].ARN < p[j].ARN })
}

func sortInline(p []InlinePolicy) {
	sort.Slice(p, func(i, j int) bool { return p[i].Name < p[j].Name })
}

func sortTags(t []Tag) {
	sort.Slice(t, func(i, j int) bool { return t[i].Key < t[j].Key })
}

// NormalizeDocument turns a policy document as IAM returns it (URL-encoded
// JSON) or plain JSON into compact JSON with sorted keys. Numbers keep their
// literal form.
func NormalizeDocument(doc string) (json.RawMessage, error) {
	text := strings.TrimSpace(doc)
	if !strings.HasPrefix(text, "{") {
		unescaped, err := urlUnescape(text)
		if err != nil {
			return nil, fmt.Errorf("policy document is not valid URL encoding: %w", err)
		}
		text = strings.TrimSpace(unescaped)
	}
	dec := json.NewDecoder(strings.NewReader(text))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, fmt.Errorf("policy document is not valid JSON: %w", err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, fmt.Errorf("policy document has data after the JSON object")
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return json.RawMessage(bytes.TrimRight(buf.Bytes(), "\n")), nil
}
