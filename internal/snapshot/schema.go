package snapshot

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"sync"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"golang.org/x/text/language"
	"golang.org/x/text/message"
)

// SchemaJSON is the JSON Schema every v1 snapshot conforms to.
//
//go:embed snapshot.schema.json
var SchemaJSON []byte

const schemaURL = "https://lockdown.dev/schemas/snapshot/v1.json"

var (
	compiledOnce sync.Once
	compiled     *jsonschema.Schema
	compileErr   error
)

func compiledSchema() (*jsonschema.Schema, error) {
	compiledOnce.Do(func() {
		doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(SchemaJSON))
		if err != nil {
			compileErr = err
			return
		}
		c := jsonschema.NewCompiler()
		if err := c.AddResource(schemaURL, doc); err != nil {
			compileErr = err
			return
		}
		compiled, compileErr = c.Compile(schemaURL)
	})
	return compiled, compileErr
}

// englishPrinter renders schema errors; the library needs a non-nil printer.
var englishPrinter = message.NewPrinter(language.English)

type schemaViolation struct{ place, msg string }

// urlUnescape decodes RFC 3986 percent-encoding. PathUnescape, not
// QueryUnescape: a literal "+" in a policy is a plus, not a space.
func urlUnescape(s string) (string, error) { return url.PathUnescape(s) }

// validateSchema checks a decoded JSON value (decoded with UseNumber) and
// reports the first violation with its JSON pointer.
func validateSchema(v any) *schemaViolation {
	sch, err := compiledSchema()
	if err != nil {
		return &schemaViolation{msg: "internal error: snapshot schema does not compile: " + err.Error()}
	}
	err = sch.Validate(v)
	if err == nil {
		return nil
	}
	var ve *jsonschema.ValidationError
	if !errors.As(err, &ve) {
		return &schemaViolation{msg: err.Error()}
	}
	leaf := deepestCause(ve)
	place := "/" + strings.Join(leaf.InstanceLocation, "/")
	return &schemaViolation{place: place, msg: fmt.Sprintf("does not match the snapshot schema: %s", leaf.ErrorKind.LocalizedString(englishPrinter))}
}

func deepestCause(ve *jsonschema.ValidationError) *jsonschema.ValidationError {
	for len(ve.Causes) > 0 {
		ve = ve.Causes[0]
	}
	return ve
}

// ValidationError says where a snapshot built in memory breaks the schema:
// Place is the JSON pointer of the offending value (e.g. /account/id).
type ValidationError struct {
	Place string
	Msg   string
}

func (e *ValidationError) Error() string {
	if e.Place == "" {
		return "snapshot " + e.Msg
	}
	return "snapshot " + e.Place + ": " + e.Msg
}

// Validate marshals s in its canonical form and checks it against the
// snapshot schema, as Decode would when the snapshot is read back. It
// returns nil or a *ValidationError naming the first violation's place.
// (Marshal normalises s: entity lists are sorted in place.)
func Validate(s *Snapshot) error {
	data, err := Marshal(s)
	if err != nil {
		return &ValidationError{Msg: "cannot be written as JSON: " + err.Error()}
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return &ValidationError{Msg: "is not valid JSON: " + err.Error()}
	}
	if sv := validateSchema(v); sv != nil {
		return &ValidationError{Place: sv.place, Msg: sv.msg}
	}
	return nil
}
