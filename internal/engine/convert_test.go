package engine

import (
	"encoding/json"
	"reflect"
	"testing"
	"time"

	"github.com/open-policy-agent/opa/v1/ast"

	"github.com/lockdown-dev/lockdown/internal/facts"
	"github.com/lockdown-dev/lockdown/internal/snapshot"
)

// toValue must give exactly what the JSON round trip gives.
func TestToValueMatchesJSON(t *testing.T) {
	type inner struct {
		A string `json:"a"`
		B *int   `json:"b,omitempty"`
	}
	type outer struct {
		*inner
		A        string            `json:"outer_a"`
		Skip     string            `json:"-"`
		Empty    []string          `json:"empty,omitempty"`
		Nil      []string          `json:"nil"`
		Num      json.Number       `json:"num"`
		F        float64           `json:"f"`
		When     time.Time         `json:"when"`
		Bytes    []byte            `json:"bytes"`
		M        map[string]any    `json:"m"`
		IntKeys  map[int]string    `json:"int_keys"`
		NilMap   map[string]string `json:"nil_map"`
		Untagged int
		private  int
	}
	two := 2
	cases := []any{
		outer{inner: &inner{A: "x", B: &two}, A: "y", Num: "1.50", F: 0.1, When: time.Date(2026, 1, 2, 3, 4, 5, 6, time.UTC),
			Bytes: []byte("hi"), M: map[string]any{"k": []any{true, nil, json.Number("3")}}, IntKeys: map[int]string{1: "a"}, private: 1},
		outer{},
	}
	for i, c := range cases {
		want, err := ast.InterfaceToValue(c)
		if err != nil {
			t.Fatal(err)
		}
		got, err := toValue(reflect.ValueOf(c))
		if err != nil {
			t.Fatal(err)
		}
		if got.Compare(want) != 0 {
			t.Errorf("case %d:\n got %v\nwant %v", i, got, want)
		}
	}
}

func TestToValueMatchesJSONOnFacts(t *testing.T) {
	snaps := map[string]*snapshot.Snapshot{"guide": guideAccount(), "synthetic": syntheticSnapshot(60, 20, 100)}
	for name, snap := range snaps {
		f, err := facts.Build(snap)
		if err != nil {
			t.Fatal(err)
		}
		want, err := ast.InterfaceToValue(f)
		if err != nil {
			t.Fatal(err)
		}
		got, err := toValue(reflect.ValueOf(f))
		if err != nil {
			t.Fatal(err)
		}
		if got.Compare(want) != 0 {
			for _, k := range want.(ast.Object).Keys() {
				g := got.(ast.Object).Get(k)
				if g == nil || g.Value.Compare(want.(ast.Object).Get(k).Value) != 0 {
					t.Errorf("%s: input.%v differs", name, k)
				}
			}
			t.Fatalf("%s: conversion differs", name)
		}
	}
}
