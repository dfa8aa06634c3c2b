package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

func TestConvertAction(t *testing.T) {
	path := filepath.Join("..", "..", "..", "action.yml")
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var a struct {
		Inputs map[string]struct {
			Default string `yaml:"default"`
		} `yaml:"inputs"`
		Runs struct {
			Steps []map[string]any `yaml:"steps"`
		} `yaml:"runs"`
	}
	if err := yaml.Unmarshal(data, &a); err != nil {
		t.Fatal(err)
	}
	out, err := convert(path, data)
	if err != nil {
		t.Fatal(err)
	}
	var w struct {
		On struct {
			WorkflowCall struct {
				Inputs map[string]struct {
					Type    string `yaml:"type"`
					Default string `yaml:"default"`
				} `yaml:"inputs"`
			} `yaml:"workflow_call"`
		} `yaml:"on"`
		Jobs map[string]struct {
			RunsOn string           `yaml:"runs-on"`
			Steps  []map[string]any `yaml:"steps"`
		} `yaml:"jobs"`
	}
	if err := yaml.Unmarshal(out, &w); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	job, ok := w.Jobs["action"]
	if !ok || job.RunsOn == "" || len(job.Steps) != len(a.Runs.Steps) {
		t.Fatalf("job %+v, want the action's %d steps", job, len(a.Runs.Steps))
	}
	for i, s := range a.Runs.Steps {
		if job.Steps[i]["name"] != s["name"] || job.Steps[i]["run"] != s["run"] || job.Steps[i]["if"] != s["if"] {
			t.Errorf("step %d changed: %v, want %v", i+1, job.Steps[i], s)
		}
	}
	if len(w.On.WorkflowCall.Inputs) != len(a.Inputs) {
		t.Errorf("inputs %v, want %v", w.On.WorkflowCall.Inputs, a.Inputs)
	}
	for name, in := range a.Inputs {
		if got := w.On.WorkflowCall.Inputs[name]; got.Type != "string" || got.Default != in.Default {
			t.Errorf("input %s: %+v", name, got)
		}
	}
}

func TestConvertRefusesOtherActions(t *testing.T) {
	for _, doc := range []string{
		"runs:\n  using: node20\n  main: index.js\n",
		"runs:\n  using: composite\n",
		"runs: [\n",
	} {
		if _, err := convert("x.yml", []byte(doc)); err == nil || !strings.Contains(err.Error(), "x.yml") {
			t.Errorf("%q: err %v, want one naming the file", doc, err)
		}
	}
}
