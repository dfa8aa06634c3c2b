package facts

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/lockdown-dev/lockdown/internal/snapshot"
)

type schemaInner struct {
	A string `json:"a"`
}

type schemaEmbedded struct {
	E      string `json:"e"`
	Hidden string `json:"plain"` // hidden by the outer field of the same name
}

type schemaSample struct {
	*schemaEmbedded
	Plain    string                  `json:"plain"`
	Opt      string                  `json:"opt,omitempty"`
	Skipped  string                  `json:"-"`
	private  string                  //nolint:unused // unexported: not encoded
	Ptr      *int32                  `json:"ptr"`
	List     []string                `json:"list"`
	ByARN    map[string]*schemaInner `json:"by_arn"`
	When     time.Time               `json:"when"`
	Num      json.Number             `json:"num"`
	Doc      any                     `json:"doc"`
	Raw      json.RawMessage         `json:"raw"`
	Blob     []byte                  `json:"blob"`
	Inner    schemaInner             `json:"inner"`
	Quoted   int64                   `json:"quoted,string"`
	Untagged bool
}

func TestSchemaOfRules(t *testing.T) {
	_ = schemaSample{}.private
	got := SchemaOf(reflect.TypeFor[schemaSample]())
	inner := map[string]any{"type": "object", "properties": map[string]any{"a": map[string]any{"type": "string"}},
		"additionalProperties": false, "required": []string{"a"}}
	null := func(s map[string]any) map[string]any {
		return map[string]any{"anyOf": []any{s, map[string]any{"type": "null"}}}
	}
	want := map[string]any{
		"type":                 "object",
		"additionalProperties": false,
		"properties": map[string]any{
			"e":        map[string]any{"type": "string"},
			"plain":    map[string]any{"type": "string"},
			"opt":      map[string]any{"type": "string"},
			"ptr":      null(map[string]any{"type": "integer"}),
			"list":     null(map[string]any{"type": "array", "items": map[string]any{"type": "string"}}),
			"by_arn":   null(map[string]any{"type": "object", "additionalProperties": null(inner)}),
			"when":     map[string]any{"type": "string", "format": "date-time"},
			"num":      map[string]any{"type": "number"},
			"doc":      map[string]any{},
			"raw":      map[string]any{},
			"blob":     null(map[string]any{"type": "string", "contentEncoding": "base64"}),
			"inner":    inner,
			"quoted":   map[string]any{"type": "string"},
			"Untagged": map[string]any{"type": "boolean"},
		},
		// e comes through an embedded pointer: absent when it is nil.
		"required": []string{"plain", "ptr", "list", "by_arn", "when", "num", "doc", "raw", "blob", "inner", "quoted", "Untagged"},
	}
	g, _ := json.MarshalIndent(got, "", "  ")
	w, _ := json.MarshalIndent(want, "", "  ")
	if string(g) != string(w) {
		t.Fatalf("schema:\n%s\nwant:\n%s", g, w)
	}
}

func TestPartialSchemaDropsRequired(t *testing.T) {
	s := PartialSchema(InputSchema())
	b, _ := json.Marshal(s)
	if bytes.Contains(b, []byte(`"required"`)) {
		t.Fatal("partial schema still requires properties")
	}
	if !bytes.Contains(b, []byte(`"mfa_active"`)) || !bytes.Contains(b, []byte(`"additionalProperties":false`)) {
		t.Fatal("partial schema lost its properties")
	}
	if _, ok := InputSchema()["required"]; !ok {
		t.Fatal("PartialSchema changed the schema it was given")
	}
}

func compileSchema(t *testing.T, s map[string]any) *jsonschema.Schema {
	t.Helper()
	b, err := json.Marshal(s)
	if err != nil {
		t.Fatal(err)
	}
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	if err := c.AddResource("input.json", doc); err != nil {
		t.Fatal(err)
	}
	sch, err := c.Compile("input.json")
	if err != nil {
		t.Fatal(err)
	}
	return sch
}

// asJSON is the document as the checks see it (encoding/json, numbers kept).
func asJSON(t *testing.T, v any) any {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return decodeNumbers(t, b)
}

func decodeNumbers(t *testing.T, b []byte) any {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var out any
	if err := dec.Decode(&out); err != nil {
		t.Fatal(err)
	}
	return out
}

// TestInputSchemaAcceptsEveryTestSnapshot: the facts of every snapshot in
// testdata meet the full schema, required fields included.
func TestInputSchemaAcceptsEveryTestSnapshot(t *testing.T) {
	sch := compileSchema(t, InputSchema())
	files, _ := filepath.Glob(filepath.Join("..", "..", "testdata", "snapshots", "*.json"))
	more, _ := filepath.Glob(filepath.Join("..", "..", "testdata", "snapshots", "*", "*.json"))
	files = append(files, more...)
	n := 0
	for _, p := range files {
		if strings.HasSuffix(p, "expected.json") {
			continue
		}
		raw, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		snap, err := snapshot.Decode(p, raw)
		if err != nil {
			continue // snapshots that are meant to be rejected
		}
		f, err := Build(snap)
		if err != nil {
			continue
		}
		n++
		if err := sch.Validate(asJSON(t, f)); err != nil {
			t.Errorf("%s: facts do not meet the input schema: %v", p, err)
		}
	}
	if n < 5 {
		t.Fatalf("only %d snapshots built facts", n)
	}
}

// TestInputSchemaRejects: the schema is not a formality.
func TestInputSchemaRejects(t *testing.T) {
	sch := compileSchema(t, PartialSchema(InputSchema()))
	for _, doc := range []string{
		`{"users": {"arn:aws:iam::1:user/a": {"nmae": "a"}}}`,
		`{"root": {"mfa_active": "yes"}}`,
		`{"password_policy": {"minimum_password_length": "14"}}`,
		`{"iam": {"roles": {"r": {"trust": {"outsider": []}}}}}`,
		`{"colected_at": "2024-01-01T00:00:00Z"}`,
	} {
		if err := sch.Validate(decodeNumbers(t, []byte(doc))); err == nil {
			t.Errorf("%s: accepted", doc)
		}
	}
	for _, doc := range []string{
		`{}`,
		`{"root": null, "users": {"arn:aws:iam::1:user/a": {"name": "a", "tags": {"k": "v"}}}}`,
		`{"policies": {"p": {"document": {"Statement": [{"Effect": "Allow"}]}}}}`,
	} {
		if err := sch.Validate(decodeNumbers(t, []byte(doc))); err != nil {
			t.Errorf("%s: rejected: %v", doc, err)
		}
	}
}

// TestSchemaOfMatchesEncodingJSON: what encoding/json writes for the sample
// type, zero or filled in, meets its schema.
func TestSchemaOfMatchesEncodingJSON(t *testing.T) {
	sch := compileSchema(t, SchemaOf(reflect.TypeFor[schemaSample]()))
	n := int32(3)
	full := schemaSample{
		schemaEmbedded: &schemaEmbedded{E: "e", Hidden: "h"}, Plain: "p", Opt: "o", Ptr: &n,
		List: []string{"a"}, ByARN: map[string]*schemaInner{"arn": {A: "a"}, "nil": nil},
		When: time.Unix(0, 0).UTC(), Num: "1.5", Doc: map[string]any{"k": []any{1}}, Raw: json.RawMessage(`{"x":1}`),
		Blob: []byte("b"), Inner: schemaInner{A: "a"}, Quoted: 7, Untagged: true,
	}
	for name, v := range map[string]schemaSample{"zero": {}, "full": full} {
		if err := sch.Validate(asJSON(t, v)); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
}
