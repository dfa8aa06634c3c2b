// Command aswf writes a composite action's steps (action.yml) as a GitHub
// workflow, so that actionlint, which checks workflows, checks the action's
// steps too: their expressions, contexts, step references and the inputs
// they read.
//
//	go run ./tools/action/aswf action.yml > .cache/actionlint/action.yml
package main

import (
	"bytes"
	"fmt"
	"os"

	"go.yaml.in/yaml/v3"
)

type input struct {
	Description string  `yaml:"description"`
	Required    bool    `yaml:"required"`
	Default     *string `yaml:"default"`
}

type action struct {
	Name   string           `yaml:"name"`
	Inputs map[string]input `yaml:"inputs"`
	Runs   struct {
		Using string    `yaml:"using"`
		Steps yaml.Node `yaml:"steps"`
	} `yaml:"runs"`
}

type wfInput struct {
	Type     string  `yaml:"type"`
	Required bool    `yaml:"required"`
	Default  *string `yaml:"default,omitempty"`
}

type workflow struct {
	Name string `yaml:"name"`
	On   struct {
		WorkflowCall struct {
			Inputs map[string]wfInput `yaml:"inputs,omitempty"`
		} `yaml:"workflow_call"`
	} `yaml:"on"`
	Jobs map[string]job `yaml:"jobs"`
}

type job struct {
	RunsOn string     `yaml:"runs-on"`
	Steps  *yaml.Node `yaml:"steps"`
}

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: aswf ACTION.yml")
		os.Exit(2)
	}
	data, err := os.ReadFile(os.Args[1])
	if err == nil {
		data, err = convert(os.Args[1], data)
	}
	if err == nil {
		_, err = os.Stdout.Write(data)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "aswf:", err)
		os.Exit(1)
	}
}

// convert returns the steps of the composite action in data (read from
// path) as a workflow called with the action's inputs.
func convert(path string, data []byte) ([]byte, error) {
	var a action
	if err := yaml.Unmarshal(data, &a); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if a.Runs.Using != "composite" {
		return nil, fmt.Errorf("%s: runs.using is %q, not composite", path, a.Runs.Using)
	}
	if a.Runs.Steps.Kind != yaml.SequenceNode || len(a.Runs.Steps.Content) == 0 {
		return nil, fmt.Errorf("%s: runs.steps is not a list of steps", path)
	}
	var w workflow
	w.Name = a.Name + " (steps of " + path + ")"
	w.On.WorkflowCall.Inputs = map[string]wfInput{}
	for name, in := range a.Inputs {
		w.On.WorkflowCall.Inputs[name] = wfInput{Type: "string", Required: in.Required, Default: in.Default}
	}
	w.Jobs = map[string]job{"action": {RunsOn: "ubuntu-latest", Steps: &a.Runs.Steps}}
	var buf bytes.Buffer
	fmt.Fprintf(&buf, "# Generated from %s by tools/action/aswf for actionlint; do not edit.\n", path)
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	if err := enc.Encode(w); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
