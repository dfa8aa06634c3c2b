package engine

import (
	"bytes"
	"encoding"
	"encoding/json"
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"sync"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/util"
)

// toValue converts Go data to the Rego value encoding/json would produce
// for it, without the JSON round trip ast.InterfaceToValue makes for
// structs (marshal, unmarshal, convert): the facts of a large account are
// tens of megabytes, and the round trip dominated input conversion.
// Types with their own JSON or text encoding go through that encoding.
//
// Identical subtrees are built once: a slice or a struct pointer met again
// (the access analysis shares verdicts between principals whose policies
// are the same) converts to the same value, and equal short strings to one
// term.
// The values are never modified afterwards (the input is read-only to Rego).
func toValue(v reflect.Value) (ast.Value, error) {
	c := &converter{seen: map[refKey]ast.Value{}, strs: map[string]*ast.Term{}}
	return c.value(v)
}

type converter struct {
	seen map[refKey]ast.Value // converted slices and struct pointers
	strs map[string]*ast.Term // string terms, one per distinct short string
}

// refKey identifies the data behind a slice or a pointer.
type refKey struct {
	typ reflect.Type
	ptr uintptr
	len int
}

func (c *converter) term(v reflect.Value) (*ast.Term, error) {
	switch v.Kind() {
	case reflect.String:
		if v.Type() != numberType {
			return c.str(v.String()), nil
		}
	case reflect.Bool:
		if !v.Type().Implements(jsonMarshaler) && !v.Type().Implements(textMarshaler) {
			return ast.InternedTerm(v.Bool()), nil
		}
	}
	e, err := c.value(v)
	if err != nil {
		return nil, err
	}
	return ast.NewTerm(e), nil
}

// internMax is the longest string the converter interns. Short strings
// (statuses, context and policy kinds, actions, names) repeat across the
// whole input, and sharing them saves most of what interning can; long
// ones (ARNs, messages, documents) are mostly unique, and looking each up
// in a map of a million strings cost more time (hashing, cache misses)
// than the allocations it saved: interning every string made the 10k
// conversion 3.58M allocations instead of 4.61M but took ~10% more CPU;
// interning only short ones takes 3.92M and the CPU of not interning.
const internMax = 24

func (c *converter) str(s string) *ast.Term {
	if len(s) > internMax {
		return ast.StringTerm(s)
	}
	t, ok := c.strs[s]
	if !ok {
		t = ast.StringTerm(s)
		c.strs[s] = t
	}
	return t
}

func (c *converter) value(v reflect.Value) (ast.Value, error) {
	if !v.IsValid() {
		return ast.Null{}, nil
	}
	t := v.Type()
	if t == numberType {
		if v.String() == "" {
			return ast.Number("0"), nil // as encoding/json writes it
		}
		return ast.Number(v.String()), nil
	}
	if t.Implements(jsonMarshaler) || t.Implements(textMarshaler) {
		if (v.Kind() == reflect.Pointer || v.Kind() == reflect.Interface) && v.IsNil() {
			return ast.Null{}, nil
		}
		return viaJSON(v.Interface())
	}
	switch v.Kind() {
	case reflect.Pointer:
		if v.IsNil() {
			return ast.Null{}, nil
		}
		if v.Elem().Kind() != reflect.Struct {
			return c.value(v.Elem())
		}
		key := refKey{typ: t, ptr: v.Pointer()}
		if x, ok := c.seen[key]; ok {
			return x, nil
		}
		x, err := c.value(v.Elem())
		if err == nil {
			c.seen[key] = x
		}
		return x, err
	case reflect.Interface:
		if v.IsNil() {
			return ast.Null{}, nil
		}
		return c.value(v.Elem())
	case reflect.Bool:
		return ast.Boolean(v.Bool()), nil
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return ast.Number(strconv.FormatInt(v.Int(), 10)), nil
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return ast.Number(strconv.FormatUint(v.Uint(), 10)), nil
	case reflect.Float32, reflect.Float64:
		return viaJSON(v.Interface())
	case reflect.String:
		return ast.String(v.String()), nil
	case reflect.Slice:
		if v.IsNil() {
			return ast.Null{}, nil
		}
		if t.Elem().Kind() == reflect.Uint8 {
			return viaJSON(v.Interface()) // base64, as encoding/json writes []byte
		}
		if v.Len() == 0 {
			return ast.NewArray(), nil
		}
		key := refKey{typ: t, ptr: v.Pointer(), len: v.Len()}
		if x, ok := c.seen[key]; ok {
			return x, nil
		}
		x, err := c.array(v)
		if err == nil {
			c.seen[key] = x
		}
		return x, err
	case reflect.Array:
		return c.array(v)
	case reflect.Map:
		if v.IsNil() {
			return ast.Null{}, nil
		}
		if t.Key().Kind() != reflect.String || t.Key().Implements(textMarshaler) {
			return viaJSON(v.Interface())
		}
		obj := ast.NewObjectWithCapacity(v.Len())
		it := v.MapRange()
		for it.Next() {
			e, err := c.term(it.Value())
			if err != nil {
				return nil, err
			}
			obj.Insert(c.str(it.Key().String()), e)
		}
		return obj, nil
	case reflect.Struct:
		fields := structFields(t)
		obj := ast.NewObjectWithCapacity(len(fields))
		for i := range fields {
			f := &fields[i]
			fv, ok := fieldByIndex(v, f.index)
			if !ok || (f.omitEmpty && isEmpty(fv)) {
				continue
			}
			e, err := c.term(fv)
			if err != nil {
				return nil, err
			}
			obj.Insert(f.key, e)
		}
		return obj, nil
	}
	return nil, fmt.Errorf("cannot convert %s for Rego", t)
}

func (c *converter) array(v reflect.Value) (ast.Value, error) {
	terms := make([]*ast.Term, v.Len())
	for i := range terms {
		e, err := c.term(v.Index(i))
		if err != nil {
			return nil, err
		}
		terms[i] = e
	}
	return ast.NewArray(terms...), nil
}

func viaJSON(x any) (ast.Value, error) {
	b, err := json.Marshal(x)
	if err != nil {
		return nil, err
	}
	var out any
	if err := util.NewJSONDecoder(bytes.NewReader(b)).Decode(&out); err != nil {
		return nil, err
	}
	return ast.InterfaceToValue(out)
}

var (
	numberType    = reflect.TypeFor[json.Number]()
	jsonMarshaler = reflect.TypeFor[json.Marshaler]()
	textMarshaler = reflect.TypeFor[encoding.TextMarshaler]()
)

type field struct {
	name      string
	key       *ast.Term // the name as a Rego string, shared by every object of the type
	index     []int
	omitEmpty bool
}

var fieldCache sync.Map // reflect.Type -> []field

// structFields lists a struct's JSON fields: tag names, "-" skipped,
// embedded structs without a tag flattened (an outer field of the same name
// wins, as in encoding/json).
func structFields(t reflect.Type) []field {
	if f, ok := fieldCache.Load(t); ok {
		return f.([]field)
	}
	var out []field
	seen := map[string]bool{}
	var walk func(t reflect.Type, index []int, depth int)
	var embedded []func()
	walk = func(t reflect.Type, index []int, depth int) {
		for i := 0; i < t.NumField(); i++ {
			sf := t.Field(i)
			tag := sf.Tag.Get("json")
			if tag == "-" {
				continue
			}
			name, opts, _ := strings.Cut(tag, ",")
			idx := append(append([]int{}, index...), i)
			if sf.Anonymous && name == "" {
				et := sf.Type
				if et.Kind() == reflect.Pointer {
					et = et.Elem()
				}
				if et.Kind() == reflect.Struct {
					embedded = append(embedded, func() { walk(et, idx, depth+1) })
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
			seen[name] = true
			out = append(out, field{name: name, key: ast.StringTerm(name), index: idx, omitEmpty: strings.Contains(","+opts+",", ",omitempty,")})
		}
	}
	walk(t, nil, 0)
	for len(embedded) > 0 {
		next := embedded
		embedded = nil
		for _, f := range next {
			f()
		}
	}
	fieldCache.Store(t, out)
	return out
}

// fieldByIndex follows an index path through embedded pointers; false when
// an embedded pointer is nil (encoding/json then omits its fields).
func fieldByIndex(v reflect.Value, index []int) (reflect.Value, bool) {
	for i, x := range index {
		if i > 0 && v.Kind() == reflect.Pointer {
			if v.IsNil() {
				return reflect.Value{}, false
			}
			v = v.Elem()
		}
		v = v.Field(x)
	}
	return v, true
}

func isEmpty(v reflect.Value) bool {
	switch v.Kind() {
	case reflect.Array, reflect.Map, reflect.Slice, reflect.String:
		return v.Len() == 0
	case reflect.Bool:
		return !v.Bool()
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return v.Int() == 0
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return v.Uint() == 0
	case reflect.Float32, reflect.Float64:
		return v.Float() == 0
	case reflect.Interface, reflect.Pointer:
		return v.IsNil()
	}
	return false
}
