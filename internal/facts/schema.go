package facts

import (
	"encoding"
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"time"
)

// SchemaDraft is the JSON Schema dialect of the input schema. OPA's type
// checker reads draft-07 documents.
const SchemaDraft = "http://json-schema.org/draft-07/schema#"

// InputSchema returns the JSON Schema of the Rego input document as
// encoding/json (and the engine's conversion, which follows the same rules)
// writes a *Facts: derived from the Go types by reflection, so it follows
// every change to them.
//
//   - a struct is an object with a property per JSON field (tag names,
//     `json:"-"` and unexported fields skipped, untagged embedded structs
//     flattened); every field without omitempty is required, and no other
//     property is allowed;
//   - a pointer, slice, map or interface may be null (anyOf the value's
//     schema and null);
//   - a map with string keys (entities by ARN, tags, sources) is an object
//     whose every value has the element's schema;
//   - time.Time is an RFC 3339 string, json.Number a number,
//     json.RawMessage and interface values any JSON value; []byte is a
//     base64 string; a `json:",string"` number or boolean is a string.
//
// The engine adds `params` (the checks' parameters) to the document; this
// schema does not describe it.
func InputSchema() map[string]any {
	s := SchemaOf(reflect.TypeFor[Facts]())
	s["$schema"] = SchemaDraft
	s["title"] = "lockdown Rego input document"
	return s
}

// SchemaOf returns the JSON Schema of the JSON encoding of values of type t
// (see InputSchema for the rules).
func SchemaOf(t reflect.Type) map[string]any {
	return schemaOf(t, map[reflect.Type]bool{})
}

var (
	timeType      = reflect.TypeFor[time.Time]()
	numberType    = reflect.TypeFor[json.Number]()
	rawType       = reflect.TypeFor[json.RawMessage]()
	jsonMarshaler = reflect.TypeFor[json.Marshaler]()
	textMarshaler = reflect.TypeFor[encoding.TextMarshaler]()
)

func schemaOf(t reflect.Type, active map[reflect.Type]bool) map[string]any {
	switch t {
	case timeType:
		return map[string]any{"type": "string", "format": "date-time"}
	case numberType:
		return map[string]any{"type": "number"}
	case rawType:
		return map[string]any{}
	}
	if t.Kind() == reflect.Pointer {
		return nullable(schemaOf(t.Elem(), active))
	}
	if t.Implements(jsonMarshaler) || reflect.PointerTo(t).Implements(jsonMarshaler) {
		return map[string]any{} // its own encoding: nothing can be said
	}
	if t.Implements(textMarshaler) || reflect.PointerTo(t).Implements(textMarshaler) {
		return map[string]any{"type": "string"}
	}
	switch t.Kind() {
	case reflect.Bool:
		return map[string]any{"type": "boolean"}
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return map[string]any{"type": "integer"}
	case reflect.Float32, reflect.Float64:
		return map[string]any{"type": "number"}
	case reflect.String:
		return map[string]any{"type": "string"}
	case reflect.Interface:
		return map[string]any{}
	case reflect.Slice:
		if t.Elem().Kind() == reflect.Uint8 {
			return nullable(map[string]any{"type": "string", "contentEncoding": "base64"})
		}
		return nullable(map[string]any{"type": "array", "items": schemaOf(t.Elem(), active)})
	case reflect.Array:
		return map[string]any{"type": "array", "items": schemaOf(t.Elem(), active),
			"minItems": t.Len(), "maxItems": t.Len()}
	case reflect.Map:
		if t.Key().Kind() != reflect.String && !t.Key().Implements(textMarshaler) {
			// encoding/json writes integer keys as strings.
			if k := t.Key().Kind(); k < reflect.Int || k > reflect.Uint64 {
				panic(fmt.Sprintf("facts: map key type %s has no JSON encoding", t.Key()))
			}
		}
		return nullable(map[string]any{"type": "object", "additionalProperties": schemaOf(t.Elem(), active)})
	case reflect.Struct:
		if active[t] {
			return map[string]any{} // a recursive type: not expanded again
		}
		active[t] = true
		defer delete(active, t)
		props := map[string]any{}
		var required []string
		for _, f := range jsonFields(t) {
			props[f.name] = schemaOf(f.typ, active)
			if f.quoted {
				props[f.name] = quotedSchema(f.typ, props[f.name].(map[string]any))
			}
			if f.required {
				required = append(required, f.name)
			}
		}
		s := map[string]any{"type": "object", "properties": props, "additionalProperties": false}
		if len(required) > 0 {
			s["required"] = required
		}
		return s
	}
	panic(fmt.Sprintf("facts: type %s has no JSON encoding", t))
}

// quotedSchema is the schema of a `json:",string"` field: encoding/json
// writes a number, boolean or string (or a pointer to one) as a string.
func quotedSchema(t reflect.Type, s map[string]any) map[string]any {
	ptr := t.Kind() == reflect.Pointer
	if ptr {
		t = t.Elem()
	}
	switch t.Kind() {
	case reflect.Bool, reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64,
		reflect.Float32, reflect.Float64, reflect.String:
		q := map[string]any{"type": "string"}
		if ptr {
			return nullable(q)
		}
		return q
	}
	return s // the option applies to scalars only
}

// nullable lets a schema also accept null. It is written as an anyOf, not
// as a list of types: OPA's type checker reads ["object", "null"] as an
// object, and would then reject comparing the value with null.
func nullable(s map[string]any) map[string]any {
	if len(s) == 0 {
		return s // already any value
	}
	return map[string]any{"anyOf": []any{s, map[string]any{"type": "null"}}}
}

type jsonField struct {
	name     string
	typ      reflect.Type
	required bool
	quoted   bool // `json:",string"`: a number or boolean written as a string
}

// jsonFields lists a struct type's JSON fields in declaration order, as
// encoding/json names them: a field in a shallower struct hides one of the
// same name in an embedded struct. A field is required when it has no
// omitempty and is not reached through an embedded pointer (encoding/json
// leaves those fields out when the pointer is nil).
func jsonFields(t reflect.Type) []jsonField {
	var out []jsonField
	seen := map[string]bool{}
	type level struct {
		t        reflect.Type
		optional bool
	}
	current := []level{{t: t}}
	for len(current) > 0 {
		var next []level
		names := map[string]int{} // name -> fields at this depth
		var found []jsonField
		for _, lv := range current {
			for i := 0; i < lv.t.NumField(); i++ {
				sf := lv.t.Field(i)
				tag := sf.Tag.Get("json")
				if tag == "-" {
					continue
				}
				name, opts, _ := strings.Cut(tag, ",")
				if sf.Anonymous && name == "" {
					et, viaPtr := sf.Type, false
					if et.Kind() == reflect.Pointer {
						et, viaPtr = et.Elem(), true
					}
					if et.Kind() == reflect.Struct {
						next = append(next, level{t: et, optional: lv.optional || viaPtr})
						continue
					}
				}
				if !sf.IsExported() {
					continue
				}
				if name == "" {
					name = sf.Name
				}
				if seen[name] {
					continue
				}
				names[name]++
				has := func(o string) bool { return strings.Contains(","+opts+",", ","+o+",") }
				found = append(found, jsonField{name: name, typ: sf.Type, required: !has("omitempty") && !has("omitzero") && !lv.optional,
					quoted: has("string")})
			}
		}
		for _, f := range found {
			if names[f.name] > 1 {
				continue // ambiguous at one depth: encoding/json drops it
			}
			seen[f.name] = true
			out = append(out, f)
		}
		for n := range names {
			seen[n] = true
		}
		current = next
	}
	return out
}

// PartialSchema returns a copy of a schema that no longer requires any
// property: the schema a test fixture, which states only the facts its test
// is about, must meet. Field names, nesting and types are kept.
func PartialSchema(s map[string]any) map[string]any {
	return partial(s).(map[string]any)
}

func partial(v any) any {
	switch x := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			if k == "required" {
				continue
			}
			out[k] = partial(e)
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = partial(e)
		}
		return out
	}
	return v
}
