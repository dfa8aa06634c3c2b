package engine

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/rego"
	"github.com/open-policy-agent/opa/v1/tester"
	"github.com/open-policy-agent/opa/v1/types"
	"github.com/santhosh-tekuri/jsonschema/v6"
	"golang.org/x/text/language"
	"golang.org/x/text/message"

	"github.com/lockdown-dev/lockdown/internal/facts"
)

import ()

// FixtureBuiltinName is the built-in every `with input as` fixture of a
// test module is passed through (see InstrumentFixtures).
const FixtureBuiltinName = "lockdown.test.fixture"

var fixtureDecl = &ast.Builtin{
	Name: FixtureBuiltinName,
	Decl: types.NewFunction(types.Args(types.Named("where", types.S), types.Named("path", types.S), types.Named("fixture", types.A)), types.A),
}

// InstrumentFixtures rewrites, in place, every `with input as X` and `with
// input.<path> as X` of the test modules (*_test.rego) among mods into
// `with input as lockdown.test.fixture("<file>:<line>", "<path>", X)`. The
// built-in returned checks X, when the test runs, against the partial input
// schema (facts.PartialSchema: every field optional, but no unknown field,
// no wrong type) at path, and halts the test with the violations, naming
// the fixture's place. Evaluating the fixture covers every way a test builds
// it: literals, helper rules and functions, object.union.
func InstrumentFixtures(mods map[string]*ast.Module, schema map[string]any) (*Fixtures, error) {
	partial := facts.PartialSchema(schema)
	b, err := json.Marshal(partial)
	if err != nil {
		return nil, err
	}
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(b))
	if err != nil {
		return nil, err
	}
	jc := jsonschema.NewCompiler()
	if err := jc.AddResource("input.schema.json", doc); err != nil {
		return nil, err
	}
	root, err := jc.Compile("input.schema.json")
	if err != nil {
		return nil, err
	}
	v := &fixtureValidator{compiler: jc, root: root, byPath: map[string]*jsonschema.Schema{"": root}, partial: partial,
		evaluated: map[string]int{}}
	for name, m := range mods {
		if !isTestFile(name) {
			continue
		}
		ast.WalkExprs(m, func(e *ast.Expr) bool {
			for _, w := range e.With {
				ref, ok := w.Target.Value.(ast.Ref)
				if !ok || !ref[0].Equal(ast.InputRootDocument) {
					continue
				}
				var path []string
				for _, t := range ref[1:] {
					s, ok := t.Value.(ast.String)
					if !ok {
						path = nil
						break
					}
					path = append(path, string(s))
				}
				if len(path) != len(ref)-1 {
					continue // a computed path: nothing to say statically
				}
				where := name
				if w.Location != nil {
					where = fmt.Sprintf("%s:%d", w.Location.File, w.Location.Row)
				}
				call := ast.CallTerm(ast.RefTerm(ast.VarTerm("lockdown"), ast.StringTerm("test"), ast.StringTerm("fixture")),
					ast.StringTerm(where), ast.StringTerm(strings.Join(path, "/")), w.Value)
				call.Location = w.Value.Location
				w.Value = call
				v.sites = append(v.sites, where)
			}
			return false
		})
	}
	fn := rego.Function3(&rego.Function{Name: FixtureBuiltinName, Decl: fixtureDecl.Decl},
		func(_ rego.BuiltinContext, where, path, fixture *ast.Term) (*ast.Term, error) {
			w, _ := where.Value.(ast.String)
			p, _ := path.Value.(ast.String)
			v.mu.Lock()
			v.evaluated[string(w)]++
			v.mu.Unlock()
			if msg := v.validate(string(p), fixture.Value); msg != "" {
				return nil, rego.NewHaltError(fmt.Errorf("the `with input` fixture at %s does not match the input schema (%s): %s", w, InputSchemaFile, msg))
			}
			return fixture, nil
		})
	sort.Strings(v.sites)
	return &Fixtures{Builtin: &tester.Builtin{Decl: fixtureDecl, Func: fn}, v: v}, nil
}

// Fixtures is the result of InstrumentFixtures.
type Fixtures struct {
	// Builtin validates the fixtures; register it with the test runner.
	Builtin *tester.Builtin
	v       *fixtureValidator
}

// Sites lists the instrumented fixtures, as "<file>:<line>", sorted.
func (f *Fixtures) Sites() []string { return append([]string(nil), f.v.sites...) }

// Unevaluated lists the instrumented fixtures that no test has evaluated
// (so far): each is a fixture nothing validated.
func (f *Fixtures) Unevaluated() []string {
	f.v.mu.Lock()
	defer f.v.mu.Unlock()
	var out []string
	for _, s := range f.v.sites {
		if f.v.evaluated[s] == 0 {
			out = append(out, s)
		}
	}
	return out
}

// englishPrinter renders schema violations.
var englishPrinter = message.NewPrinter(language.English)

type fixtureValidator struct {
	mu        sync.Mutex
	sites     []string
	evaluated map[string]int // by site
	compiler  *jsonschema.Compiler
	root      *jsonschema.Schema
	byPath    map[string]*jsonschema.Schema
	partial   map[string]any
}

func (v *fixtureValidator) schemaAt(path string) (*jsonschema.Schema, error) {
	v.mu.Lock()
	defer v.mu.Unlock()
	if s, ok := v.byPath[path]; ok {
		return s, nil
	}
	// Walk the schema to the path's subschema and point at it.
	ptr := ""
	s := v.partial
	for _, key := range strings.Split(path, "/") {
		if props, ok := s["properties"].(map[string]any); ok {
			if p, ok := props[key].(map[string]any); ok {
				s, ptr = p, ptr+"/properties/"+jsonPointerEscape(key)
				continue
			}
		}
		if ap, ok := s["additionalProperties"].(map[string]any); ok {
			s, ptr = ap, ptr+"/additionalProperties"
			continue
		}
		if items, ok := s["items"].(map[string]any); ok {
			s, ptr = items, ptr+"/items"
			continue
		}
		return nil, fmt.Errorf("input.%s is not in the input schema", strings.ReplaceAll(path, "/", "."))
	}
	sch, err := v.compiler.Compile("input.schema.json#" + ptr)
	if err != nil {
		return nil, err
	}
	v.byPath[path] = sch
	return sch, nil
}

func jsonPointerEscape(s string) string {
	return strings.ReplaceAll(strings.ReplaceAll(s, "~", "~0"), "/", "~1")
}

// validate returns "" when the fixture at path meets the partial schema, or
// the violations.
func (v *fixtureValidator) validate(path string, fixture ast.Value) string {
	sch, err := v.schemaAt(path)
	if err != nil {
		return err.Error()
	}
	doc, err := fixtureJSON(fixture)
	if err != nil {
		return err.Error()
	}
	return violations("input"+strings.ReplaceAll("/"+path, "/", "."), sch.Validate(doc))
}

// fixtureJSON is a Rego value as the schema library takes it (numbers as
// json.Number).
func fixtureJSON(x ast.Value) (any, error) {
	j, err := ast.JSON(x)
	if err != nil {
		return nil, err
	}
	b, err := json.Marshal(j)
	if err != nil {
		return nil, err
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var doc any
	err = dec.Decode(&doc)
	return doc, err
}

// violations lists a validation error's leaves, each at its place under
// prefix (a reference such as input.users), or "" when err is nil.
func violations(prefix string, err error) string {
	if err == nil {
		return ""
	}
	var ve *jsonschema.ValidationError
	if !errors.As(err, &ve) {
		return err.Error()
	}
	prefix = strings.TrimSuffix(prefix, ".")
	var msgs []string
	var leaves func(e *jsonschema.ValidationError)
	leaves = func(e *jsonschema.ValidationError) {
		if len(e.Causes) == 0 {
			if strings.HasSuffix(e.ErrorKind.LocalizedString(englishPrinter), "want null") {
				return // the other branch of a nullable value
			}
			place := prefix
			for _, p := range e.InstanceLocation {
				place += "." + p
			}
			if place == "" {
				place = "the value"
			}
			msgs = append(msgs, place+": "+e.ErrorKind.LocalizedString(englishPrinter))
			return
		}
		for _, c := range e.Causes {
			leaves(c)
		}
	}
	leaves(ve)
	sort.Strings(msgs)
	return strings.Join(msgs, "; ")
}

// ArgumentBuiltinName is the built-in a test's argument to a function is
// passed through when the function's argument is a part of input (see
// InstrumentArguments).
const ArgumentBuiltinName = "lockdown.test.argument"

var argumentDecl = &ast.Builtin{
	Name: ArgumentBuiltinName,
	Decl: types.NewFunction(types.Args(types.Named("where", types.S), types.Named("argument", types.S), types.Named("value", types.A)), types.A),
}

// InstrumentArguments does for the arguments tests pass to functions what
// InstrumentFixtures does for `with input`: where every call from the
// non-test modules passes a function a part of input (a library helper that
// takes a user, a grant), each call of it in a test module is rewritten so
// that its argument is checked, when the test runs, against the partial
// schema of those parts (any one of them may accept it). compiled is the
// compiler of the non-test modules; the sites join f's.
func InstrumentArguments(mods map[string]*ast.Module, compiled *ast.Compiler, schema map[string]any, f *Fixtures) (*tester.Builtin, error) {
	names := make([]string, 0, len(compiled.Modules))
	for name := range compiled.Modules {
		if !isTestFile(name) {
			names = append(names, name)
		}
	}
	sort.Strings(names)
	var rules []*ast.Rule
	for _, name := range names {
		rules = append(rules, compiled.Modules[name].Rules...)
	}
	ic := &inputChecker{schema: schema, globals: map[string][]bound{},
		exprs: map[*ast.Rule][]*ast.Expr{}, paths: map[*ast.Rule]string{}}
	ic.bindGlobals(rules)
	v := f.v
	argSchemas := map[string][]*jsonschema.Schema{} // argKey -> one per part of input
	argTexts := map[string][]string{}
	resources := 0
	for key, alts := range ic.globals {
		if !strings.Contains(key, "#") {
			continue
		}
		for _, b := range alts {
			resources++
			url := fmt.Sprintf("argument-%d.schema.json", resources)
			raw, err := json.Marshal(facts.PartialSchema(b.schema))
			if err != nil {
				return nil, err
			}
			doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(raw))
			if err != nil {
				return nil, err
			}
			if err := v.compiler.AddResource(url, doc); err != nil {
				return nil, err
			}
			sch, err := v.compiler.Compile(url)
			if err != nil {
				return nil, err
			}
			argSchemas[key] = append(argSchemas[key], sch)
			argTexts[key] = append(argTexts[key], b.text)
		}
	}
	for name, m := range mods {
		if !isTestFile(name) {
			continue
		}
		aliases := map[ast.Var]ast.Ref{}
		for _, imp := range m.Imports {
			ref, ok := imp.Path.Value.(ast.Ref)
			if !ok || !ref[0].Equal(ast.DefaultRootDocument) {
				continue
			}
			alias := imp.Alias
			if alias == "" {
				s, ok := ref[len(ref)-1].Value.(ast.String)
				if !ok {
					continue
				}
				alias = ast.Var(s)
			}
			aliases[alias] = ref
		}
		fullName := func(op *ast.Term) string {
			ref, ok := op.Value.(ast.Ref)
			if !ok {
				return ""
			}
			head, ok := ref[0].Value.(ast.Var)
			if !ok {
				return ""
			}
			switch {
			case head.Equal(ast.DefaultRootDocument.Value):
				return ref.String()
			case aliases[head] != nil:
				return aliases[head].Concat(ref[1:]).String()
			case len(ref) == 1:
				return m.Package.Path.Append(ast.StringTerm(string(head))).String()
			}
			return ""
		}
		wrap := func(terms []*ast.Term) {
			fn := fullName(terms[0])
			if fn == "" {
				return
			}
			for i := 1; i < len(terms); i++ {
				key := argKey(fn, i-1)
				if len(argSchemas[key]) == 0 {
					continue
				}
				arg := terms[i]
				where := name
				if arg.Location != nil {
					where = fmt.Sprintf("%s:%d", arg.Location.File, arg.Location.Row)
				}
				call := ast.CallTerm(ast.RefTerm(ast.VarTerm("lockdown"), ast.StringTerm("test"), ast.StringTerm("argument")),
					ast.StringTerm(where), ast.StringTerm(key), arg)
				call.Location = arg.Location
				terms[i] = call
				v.sites = append(v.sites, where)
			}
		}
		ast.WalkExprs(m, func(e *ast.Expr) bool {
			if terms, ok := e.Terms.([]*ast.Term); ok && len(terms) > 0 {
				wrap(terms)
			}
			return false
		})
		ast.WalkTerms(m, func(t *ast.Term) bool {
			if c, ok := t.Value.(ast.Call); ok && len(c) > 0 {
				wrap(c)
			}
			return false
		})
	}
	sort.Strings(v.sites)
	v.sites = slices.Compact(v.sites)
	fn := rego.Function3(&rego.Function{Name: ArgumentBuiltinName, Decl: argumentDecl.Decl},
		func(_ rego.BuiltinContext, where, key, value *ast.Term) (*ast.Term, error) {
			w, _ := where.Value.(ast.String)
			k, _ := key.Value.(ast.String)
			v.mu.Lock()
			v.evaluated[string(w)]++
			v.mu.Unlock()
			doc, err := fixtureJSON(value.Value)
			if err != nil {
				return nil, rego.NewHaltError(err)
			}
			var msgs []string
			for _, sch := range argSchemas[string(k)] {
				msg := violations("", sch.Validate(doc))
				if msg == "" {
					return value, nil
				}
				msgs = append(msgs, msg)
			}
			fnName, i, _ := strings.Cut(string(k), "#")
			n, _ := strconv.Atoi(i)
			return nil, rego.NewHaltError(fmt.Errorf("the argument %d of %s at %s does not match the input schema (%s) of what the checks pass it (%s): %s",
				n+1, strings.TrimPrefix(fnName, "data."), w, InputSchemaFile, strings.Join(argTexts[string(k)], " or "), strings.Join(msgs, "; or ")))
		})
	return &tester.Builtin{Decl: argumentDecl, Func: fn}, nil
}
