package engine

import (
	"encoding/json"
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"

	"github.com/open-policy-agent/opa/v1/ast"
)

type kind int

const (
	kindNumber kind = iota
	kindBool
	kindString
)

func (k kind) String() string {
	return [...]string{"a number", "a boolean", "a string"}[k]
}

func paramKind(v any) (kind, bool) {
	switch x := v.(type) {
	case int, int32, int64, uint, uint32, uint64, json.Number:
		return kindNumber, true
	case float64:
		return kindNumber, !math.IsNaN(x) && !math.IsInf(x, 0)
	case float32:
		return kindNumber, true
	case bool:
		return kindBool, true
	case string:
		return kindString, true
	}
	return 0, false
}

// mergeParams starts from the defaults the checks declare and applies the
// user's values. Unknown names and wrong types are errors: a mistyped
// threshold must not silently fall back to the default.
func mergeParams(defs []*checkDef, user map[string]any) (ast.Value, error) {
	merged := map[string]any{}
	owner := map[string]string{}
	for _, d := range defs {
		for k, v := range d.params {
			if prev, ok := merged[k]; ok {
				pk, _ := paramKind(prev)
				vk, _ := paramKind(v)
				if pk != vk || fmt.Sprint(prev) != fmt.Sprint(v) {
					return nil, fmt.Errorf("checks %s and %s declare parameter %s with different defaults (%v, %v)", owner[k], d.meta.ID, k, prev, v)
				}
				continue
			}
			merged[k] = v
			owner[k] = d.meta.ID
		}
	}
	names := make([]string, 0, len(user))
	for k := range user {
		names = append(names, k)
	}
	sort.Strings(names)
	for _, k := range names {
		v := user[k]
		def, ok := merged[k]
		if !ok {
			known := make([]string, 0, len(merged))
			for n := range merged {
				known = append(known, n)
			}
			sort.Strings(known)
			return nil, &ParamError{Name: k, Value: fmt.Sprint(v), Unknown: true, Known: known}
		}
		dk, _ := paramKind(def)
		if s, isText := v.(string); isText && dk != kindString {
			conv, problem := convertParam(s, def)
			if problem != "" {
				return nil, &ParamError{Name: k, Value: s, Problem: problem, UsedBy: owner[k]}
			}
			v = conv
		}
		vk, ok := paramKind(v)
		if !ok || vk != dk {
			return nil, &ParamError{Name: k, Value: fmt.Sprint(v), Problem: "must be " + dk.String(), UsedBy: owner[k]}
		}
		if dk == kindNumber && isNegative(v) && !isNegative(def) {
			return nil, &ParamError{Name: k, Value: fmt.Sprint(v), Problem: "must not be negative", UsedBy: owner[k]}
		}
		merged[k] = v
	}
	val, err := ast.InterfaceToValue(merged)
	if err != nil {
		return nil, fmt.Errorf("parameters: %w", err)
	}
	return val, nil
}

// ParamError is a parameter the user set that no check declares, or a value
// that does not have the type of the declared default.
type ParamError struct {
	Name    string
	Value   string
	Unknown bool     // no check declares Name
	Known   []string // the declared parameters, sorted (Unknown only)
	Problem string   // e.g. "must be an integer"
	UsedBy  string   // the check declaring Name
}

func (e *ParamError) Error() string {
	if e.Unknown {
		return fmt.Sprintf("unknown parameter %q (known: %s)", e.Name, strings.Join(e.Known, ", "))
	}
	return fmt.Sprintf("parameter %s=%s: %s (used by %s)", e.Name, e.Value, e.Problem, e.UsedBy)
}

// convertParam turns a value given as text (a command-line flag) into the
// type of the declared default, or says what the value must be.
func convertParam(s string, def any) (any, string) {
	k, _ := paramKind(def)
	switch k {
	case kindBool:
		b, err := strconv.ParseBool(strings.TrimSpace(s))
		if err != nil {
			return nil, "must be true or false"
		}
		return b, ""
	case kindNumber:
		t := strings.TrimSpace(s)
		if isIntegral(def) {
			n, err := strconv.ParseInt(t, 10, 64)
			if err != nil {
				return nil, "must be an integer"
			}
			return n, ""
		}
		f, err := strconv.ParseFloat(t, 64)
		if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
			return nil, "must be a number"
		}
		return f, ""
	}
	return s, ""
}

// isIntegral reports whether a numeric default is a whole number: a
// parameter declared as 90 takes integers only.
func isIntegral(v any) bool {
	switch x := v.(type) {
	case int, int32, int64, uint, uint32, uint64:
		return true
	case float64:
		return x == math.Trunc(x)
	case float32:
		return float64(x) == math.Trunc(float64(x))
	case json.Number:
		return !strings.ContainsAny(string(x), ".eE")
	}
	return false
}

// Params returns the parameters in force: every declared default, with the
// user's values applied. Numbers are json.Number.
func (e *Engine) Params() map[string]any {
	out := map[string]any{}
	if e.params == nil {
		return out
	}
	v, err := ast.JSON(e.params)
	if err != nil {
		return out
	}
	if m, ok := v.(map[string]any); ok {
		return m
	}
	return out
}

// paramDefaults returns each declared parameter's default and the checks
// that declare it.
func paramDefaults(defs []*checkDef) (map[string]any, map[string][]string) {
	vals := map[string]any{}
	users := map[string][]string{}
	for _, d := range defs {
		for k, v := range d.params {
			if _, ok := vals[k]; !ok {
				vals[k] = v
			}
			users[k] = append(users[k], d.meta.ID)
		}
	}
	return vals, users
}

func isNegative(v any) bool {
	f, err := strconv.ParseFloat(fmt.Sprint(v), 64)
	return err == nil && f < 0
}
