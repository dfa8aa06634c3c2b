package engine

import (
	"bytes"
	"encoding/json"
	"fmt"
	"reflect"
	"sort"
	"strings"

	"github.com/open-policy-agent/opa/v1/ast"

	"github.com/lockdown-dev/lockdown/internal/facts"
)

// InputSchemaFile is where the input schema of the built-in checks is
// published, relative to the repository root.
const InputSchemaFile = "checks/input.schema.json"

// InputSchema returns the JSON Schema of the Rego input document the checks
// among mods read: the facts (facts.InputSchema) and `params`, one property
// per parameter a check declares in METADATA custom.params, typed by its
// default. Test modules (*_test.rego) are ignored.
func InputSchema(mods map[string]*ast.Module) (map[string]any, error) {
	defs, err := findChecks(nonTestModules(mods))
	if err != nil {
		return nil, err
	}
	return inputSchema(defs)
}

func inputSchema(defs []*checkDef) (map[string]any, error) {
	if _, err := mergeParams(defs, nil); err != nil {
		return nil, err
	}
	s := facts.InputSchema()
	if err := knownKeys(s, "sources", KnownSources); err != nil {
		return nil, err
	}
	vals, users := paramDefaults(defs)
	props := map[string]any{}
	names := make([]string, 0, len(vals))
	for name, v := range vals {
		names = append(names, name)
		k, _ := paramKind(v)
		p := map[string]any{"default": v, "description": "Parameter of " + strings.Join(sortedCopy(users[name]), ", ") + "; set with --param " + name + "=VALUE."}
		switch {
		case k == kindBool:
			p["type"] = "boolean"
		case k == kindString:
			p["type"] = "string"
		case isIntegral(v):
			p["type"] = "integer"
		default:
			p["type"] = "number"
		}
		props[name] = p
	}
	sort.Strings(names)
	params := map[string]any{"type": "object", "properties": props, "additionalProperties": false,
		"description": "The checks' parameters (METADATA custom.params), with the user's values applied."}
	if len(names) > 0 {
		params["required"] = names
	}
	s["properties"].(map[string]any)["params"] = params
	s["required"] = append(s["required"].([]string), "params")
	return s, nil
}

// knownKeys narrows a map of the schema to the keys it can have: the facts
// type is a Go map, but the snapshot schema names every source, so a check
// reading input.sources.<misspelt> is an error too.
func knownKeys(s map[string]any, prop string, keys []string) error {
	props, _ := s["properties"].(map[string]any)
	m, ok := props[prop].(map[string]any)
	if !ok {
		return fmt.Errorf("input schema: no property %s", prop)
	}
	obj := nonNull(m)
	val, ok := obj["additionalProperties"].(map[string]any)
	if !ok {
		return fmt.Errorf("input schema: %s is not a map", prop)
	}
	known := map[string]any{}
	for _, k := range keys {
		known[k] = val
	}
	narrowed := map[string]any{"type": "object", "properties": known, "additionalProperties": false}
	if alts, ok := m["anyOf"].([]any); ok {
		out := make([]any, len(alts))
		for i, a := range alts {
			if am, ok := a.(map[string]any); ok && reflect.DeepEqual(am, obj) {
				out[i] = narrowed
			} else {
				out[i] = a
			}
		}
		props[prop] = map[string]any{"anyOf": out}
	} else {
		props[prop] = narrowed
	}
	return nil
}

func sortedCopy(s []string) []string {
	out := append([]string(nil), s...)
	sort.Strings(out)
	return out
}

// MarshalSchema writes a schema as it is published: indented, keys sorted,
// ending in a newline.
func MarshalSchema(s map[string]any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(s); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// schemaSet is the schema as OPA's type checker takes it.
func schemaSet(s map[string]any) (*ast.SchemaSet, error) {
	// Round trip: OPA's schema loader wants plain JSON values.
	b, err := json.Marshal(s)
	if err != nil {
		return nil, err
	}
	var doc any
	if err := json.Unmarshal(b, &doc); err != nil {
		return nil, err
	}
	ss := ast.NewSchemaSet()
	ss.Put(ast.SchemaRootRef, doc)
	return ss, nil
}

func isTestFile(name string) bool { return strings.HasSuffix(name, "_test.rego") }

func nonTestModules(mods map[string]*ast.Module) map[string]*ast.Module {
	out := make(map[string]*ast.Module, len(mods))
	for n, m := range mods {
		if !isTestFile(n) {
			out[n] = m
		}
	}
	return out
}
