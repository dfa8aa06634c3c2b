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
			return nil, fmt.Errorf("unknown parameter %q (known: %s)", k, strings.Join(known, ", "))
		}
		dk, _ := paramKind(def)
		vk, ok := paramKind(v)
		if !ok || vk != dk {
			return nil, fmt.Errorf("parameter %s=%v: must be %s (used by %s)", k, v, dk, owner[k])
		}
		if dk == kindNumber && isNegative(v) && !isNegative(def) {
			return nil, fmt.Errorf("parameter %s=%v: must not be negative (used by %s)", k, v, owner[k])
		}
		merged[k] = v
	}
	val, err := ast.InterfaceToValue(merged)
	if err != nil {
		return nil, fmt.Errorf("parameters: %w", err)
	}
	return val, nil
}

func isNegative(v any) bool {
	f, err := strconv.ParseFloat(fmt.Sprint(v), 64)
	return err == nil && f < 0
}
