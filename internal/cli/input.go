package cli

import (
	"io"

	"github.com/lockdown-dev/lockdown/internal/engine"
	"github.com/lockdown-dev/lockdown/internal/facts"
)

// inputFormat is `audit --format input`: instead of a report, the Rego
// input document the checks query (the facts of the snapshot plus the
// parameters in force), as indented JSON with sorted keys. It is not a
// report format: no check runs, and it cannot go to a file with -o.
const inputFormat = "input"

// printInput writes the input document of the facts.
func printInput(w io.Writer, eng *engine.Engine, f *facts.Facts) error {
	doc, err := eng.InputJSON(f)
	if err != nil {
		return asRuntime(err)
	}
	_, err = w.Write(doc)
	return asRuntime(err)
}
