package snapshot_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/lockdown-dev/lockdown/internal/snapshot"
)

const snapDir = "../../testdata/snapshots"

func testdataSnapshots(t *testing.T) []string {
	t.Helper()
	var files []string
	for _, pat := range []string{"*.json", "variants/*.json", "equivalent/*.json"} {
		m, err := filepath.Glob(filepath.Join(snapDir, pat))
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range m {
			if filepath.Base(f) != "expected.json" {
				files = append(files, f)
			}
		}
	}
	// guide x2, root, partial + at least 12 variants.
	if len(files) < 16 {
		t.Fatalf("found %d snapshots under %s, want at least 16", len(files), snapDir)
	}
	return files
}

func TestTestdataSnapshotsValidate(t *testing.T) {
	for _, f := range testdataSnapshots(t) {
		s, raw, err := snapshot.Load(f)
		if err != nil {
			t.Errorf("%v", err)
			continue
		}
		if s.Account.ID == "" || len(s.Sources) == 0 {
			t.Errorf("%s: decoded an empty snapshot", f)
		}
		// The committed files are canonical: Marshal gives the same bytes.
		again, err := snapshot.Marshal(s)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(again, raw) {
			t.Errorf("%s is not in canonical form (snapshot.Marshal changes it)", f)
		}
	}
}

// base returns guide-compliant.json decoded into a generic value so tests
// can break it in one place.
func base(t *testing.T) map[string]any {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(snapDir, "guide-compliant.json"))
	if err != nil {
		t.Fatal(err)
	}
	var v map[string]any
	if err := json.Unmarshal(data, &v); err != nil {
		t.Fatal(err)
	}
	return v
}

func write(t *testing.T, name string, v any) string {
	t.Helper()
	data, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func at(v any, path ...any) map[string]any {
	for _, p := range path {
		switch k := p.(type) {
		case string:
			v = v.(map[string]any)[k]
		case int:
			v = v.([]any)[k]
		}
	}
	return v.(map[string]any)
}

// loadErr loads path, requires a *LoadError and returns it.
func loadErr(t *testing.T, path string) *snapshot.LoadError {
	t.Helper()
	var err error
	func() {
		defer func() {
			if r := recover(); r != nil {
				t.Fatalf("snapshot.Load(%s) panicked instead of returning an error: %v", path, r)
			}
		}()
		_, _, err = snapshot.Load(path)
	}()
	if err == nil {
		t.Fatalf("%s: loaded without error", path)
	}
	var le *snapshot.LoadError
	if !errors.As(err, &le) {
		t.Fatalf("%s: error %T %v, want *snapshot.LoadError", path, err, err)
	}
	if !strings.Contains(err.Error(), path) {
		t.Errorf("error %q does not name the file %s", err, path)
	}
	return le
}

func TestLoadErrorsNameFileAndPlace(t *testing.T) {
	t.Run("missing file", func(t *testing.T) {
		p := filepath.Join(t.TempDir(), "nope.json")
		le := loadErr(t, p)
		if !strings.Contains(le.Msg, "no such file") {
			t.Errorf("message %q", le.Msg)
		}
	})
	t.Run("truncated JSON", func(t *testing.T) {
		data, err := os.ReadFile(filepath.Join(snapDir, "guide-compliant.json"))
		if err != nil {
			t.Fatal(err)
		}
		cut := data[:len(data)/2]
		p := filepath.Join(t.TempDir(), "truncated.json")
		if err := os.WriteFile(p, cut, 0o644); err != nil {
			t.Fatal(err)
		}
		le := loadErr(t, p)
		lines := bytes.Count(cut, []byte("\n")) + 1
		if !strings.HasPrefix(le.Place, strconv.Itoa(lines)+":") {
			t.Errorf("place %q, want the last line %d", le.Place, lines)
		}
		if !strings.Contains(le.Msg, "truncated") {
			t.Errorf("message %q does not say truncated", le.Msg)
		}
	})

	cases := []struct {
		name, wantPlace, wantMsg string
		breakIt                  func(v map[string]any)
	}{
		{"wrong schema string", "schema", "unsupported schema", func(v map[string]any) { v["schema"] = "lockdown.snapshot/v0" }},
		{"user arn is a number", "/users/0/arn", "want string", func(v map[string]any) { at(v, "users", 0)["arn"] = 12345 }},
		{"unknown top-level field", "/", "additional", func(v map[string]any) { v["extra"] = true }},
		{"unknown source name", "/sources", "iam_magic", func(v map[string]any) {
			at(v, "sources")["iam_magic"] = map[string]any{"status": "ok"}
		}},
		{"bad source status", "/sources/caller_identity/status", "", func(v map[string]any) {
			at(v, "sources", "caller_identity")["status"] = "partial"
		}},
		{"error status without error", "/sources/authorization_details", "error", func(v map[string]any) {
			at(v, "sources", "authorization_details")["status"] = "error"
		}},
		{"policy document as a string", "/policies/0/versions/0/document", "want object", func(v map[string]any) {
			at(v, "policies", 0, "versions", 0)["document"] = "%7B%22Version%22%3A%222012-10-17%22%7D"
		}},
		{"date without time", "/collected_at", "", func(v map[string]any) { v["collected_at"] = "2026-11-27" }},
		{"credential report value not a string", "/credential_report/rows/1/mfa_active", "want string", func(v map[string]any) {
			at(v, "credential_report", "rows", 1)["mfa_active"] = true
		}},
		{"password length below the API minimum", "/password_policy/minimum_password_length", "", func(v map[string]any) {
			at(v, "password_policy")["minimum_password_length"] = 3
		}},
		{"role session over 12 hours", "/roles/0/max_session_duration", "", func(v map[string]any) {
			at(v, "roles", 0)["max_session_duration"] = 86400
		}},
		{"user without id", "/users/0", "id", func(v map[string]any) { delete(at(v, "users", 0), "id") }},
		{"account id too short", "/account/id", "", func(v map[string]any) { at(v, "account")["id"] = "12345" }},
		{"unknown partition", "/account/partition", "", func(v map[string]any) { at(v, "account")["partition"] = "aws-mars" }},
		{"secret key in a profile", "/aws_config/profiles/0", "aws_secret_access_key", func(v map[string]any) {
			at(v, "aws_config", "profiles", 0)["aws_secret_access_key"] = "x"
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			v := base(t)
			tc.breakIt(v)
			le := loadErr(t, write(t, "broken.json", v))
			if le.Place != tc.wantPlace {
				t.Errorf("place %q, want %q (error: %v)", le.Place, tc.wantPlace, le)
			}
			if !strings.Contains(le.Msg, tc.wantMsg) {
				t.Errorf("message %q does not contain %q", le.Msg, tc.wantMsg)
			}
		})
	}
}

// TestSchemaCoversTypes walks the Go types and the schema side by side:
// every JSON field of every struct is a property of the matching schema
// object (and no other property exists), fields without omitempty are
// required, and the JSON types agree.
func TestSchemaCoversTypes(t *testing.T) {
	var schema map[string]any
	if err := json.Unmarshal(snapshot.SchemaJSON, &schema); err != nil {
		t.Fatal(err)
	}
	w := walker{t: t, root: schema}
	w.walk("#", reflect.TypeOf(snapshot.Snapshot{}), schema)
}

type walker struct {
	t    *testing.T
	root map[string]any
}

func (w walker) deref(node map[string]any) map[string]any {
	for {
		ref, ok := node["$ref"].(string)
		if !ok {
			return node
		}
		cur := any(w.root)
		for _, part := range strings.Split(strings.TrimPrefix(ref, "#/"), "/") {
			cur = cur.(map[string]any)[part]
		}
		node = cur.(map[string]any)
	}
}

func types(node map[string]any) []string {
	switch v := node["type"].(type) {
	case string:
		return []string{v}
	case []any:
		var out []string
		for _, x := range v {
			out = append(out, x.(string))
		}
		return out
	}
	return nil
}

func has(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

var (
	timeType = reflect.TypeOf(time.Time{})
	rawType  = reflect.TypeOf(json.RawMessage{})
)

func (w walker) walk(path string, typ reflect.Type, node map[string]any) {
	t := w.t
	node = w.deref(node)
	for typ.Kind() == reflect.Pointer {
		typ = typ.Elem()
	}
	ty := types(node)
	switch {
	case typ == timeType:
		if !has(ty, "string") || node["format"] != "date-time" {
			t.Errorf("%s: time.Time but schema %v", path, node)
		}
	case typ == rawType:
		if !has(ty, "object") {
			t.Errorf("%s: policy document but schema type %v", path, ty)
		}
	case typ.Kind() == reflect.String:
		if !has(ty, "string") && node["const"] == nil {
			t.Errorf("%s: string but schema type %v", path, ty)
		}
	case typ.Kind() == reflect.Bool:
		if !has(ty, "boolean") {
			t.Errorf("%s: bool but schema type %v", path, ty)
		}
	case typ.Kind() >= reflect.Int && typ.Kind() <= reflect.Int64:
		if !has(ty, "integer") {
			t.Errorf("%s: integer but schema type %v", path, ty)
		}
	case typ.Kind() == reflect.Slice:
		items, ok := node["items"].(map[string]any)
		if !has(ty, "array") || !ok {
			t.Errorf("%s: slice but schema %v", path, node)
			return
		}
		w.walk(path+"[]", typ.Elem(), items)
	case typ.Kind() == reflect.Map && path == "#.sources":
		props, _ := node["properties"].(map[string]any)
		want := snapshot.Sources
		if node["additionalProperties"] != false || len(props) != len(want) {
			t.Errorf("%s: want exactly the %d source names, closed; schema has %d", path, len(want), len(props))
		}
		for _, name := range want {
			p, ok := props[name].(map[string]any)
			if !ok {
				t.Errorf("%s: source %q missing from the schema", path, name)
				continue
			}
			w.walk(path+"."+name, typ.Elem(), p)
		}
	case typ.Kind() == reflect.Map:
		add, ok := node["additionalProperties"].(map[string]any)
		if !has(ty, "object") || !ok {
			t.Errorf("%s: map but schema %v", path, node)
			return
		}
		w.walk(path+"{}", typ.Elem(), add)
	case typ.Kind() == reflect.Struct:
		if !has(ty, "object") || node["additionalProperties"] != false {
			t.Errorf("%s: struct but schema is not a closed object", path)
		}
		props, _ := node["properties"].(map[string]any)
		required := asList(node["required"])
		var fields, wantRequired []string
		for i := 0; i < typ.NumField(); i++ {
			f := typ.Field(i)
			tag := f.Tag.Get("json")
			name, opts, _ := strings.Cut(tag, ",")
			if name == "-" || !f.IsExported() {
				continue
			}
			fields = append(fields, name)
			if !strings.Contains(opts, "omitempty") {
				wantRequired = append(wantRequired, name)
			}
			p, ok := props[name].(map[string]any)
			if !ok {
				t.Errorf("%s: field %q (%s.%s) is not in the schema", path, name, typ.Name(), f.Name)
				continue
			}
			w.walk(path+"."+name, f.Type, p)
		}
		for name := range props {
			if !has(fields, name) {
				t.Errorf("%s: schema property %q has no Go field in %s", path, name, typ.Name())
			}
		}
		sort.Strings(required)
		sort.Strings(wantRequired)
		if strings.Join(required, ",") != strings.Join(wantRequired, ",") {
			t.Errorf("%s: required %v, want the fields without omitempty %v", path, required, wantRequired)
		}
	default:
		t.Errorf("%s: unhandled Go type %s", path, typ)
	}
}

func asList(v any) []string {
	var out []string
	if l, ok := v.([]any); ok {
		for _, x := range l {
			out = append(out, x.(string))
		}
	}
	return out
}

func TestValidateInMemory(t *testing.T) {
	s := &snapshot.Snapshot{
		Schema:      snapshot.SchemaV1,
		Generator:   snapshot.Generator{Name: "lockdown", Version: "test"},
		CollectedAt: time.Date(2026, 11, 27, 8, 0, 0, 0, time.UTC),
		Account:     snapshot.Account{ID: "111122223333", Partition: "aws"},
		Sources:     map[string]snapshot.SourceStatus{snapshot.SourceCallerIdentity: {Status: snapshot.StatusOK}},
	}
	if err := snapshot.Validate(s); err != nil {
		t.Fatalf("valid snapshot rejected: %v", err)
	}
	s.Account.ID = ""
	err := snapshot.Validate(s)
	var ve *snapshot.ValidationError
	if !errors.As(err, &ve) || ve.Place != "/account/id" {
		t.Fatalf("empty account ID: err = %v, want a *snapshot.ValidationError at /account/id", err)
	}
	s.Account.ID = "111122223333"
	s.Sources[snapshot.SourceAccountSummary] = snapshot.SourceStatus{Status: snapshot.StatusError, Error: &snapshot.SourceError{Code: "AccessDenied", Message: "x", Action: "iam:GetAccountSummary"}}
	s.Sources[snapshot.SourceAWSConfig] = snapshot.SourceStatus{Status: snapshot.StatusError, Error: &snapshot.SourceError{Code: "MalformedAWSConfig", Message: "x"}}
	if err := snapshot.Validate(s); err != nil {
		t.Fatalf("snapshot with failed sources rejected: %v", err)
	}
	if got := s.FailedSources(); len(got) != 2 || got[0] != snapshot.SourceAccountSummary || got[1] != snapshot.SourceAWSConfig {
		t.Errorf("FailedSources() = %v", got)
	}
}
