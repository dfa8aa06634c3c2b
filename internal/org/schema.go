package org

import (
	"bytes"
	"fmt"
	"sync"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

var (
	schemaOnce     sync.Once
	compiledSchema *jsonschema.Schema
	schemaErr      error
)

// ValidateJSON checks an organisation report's JSON against the published
// schema (org-report.schema.json).
func ValidateJSON(data []byte) error {
	schemaOnce.Do(func() {
		doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(Schema))
		if err != nil {
			schemaErr = err
			return
		}
		c := jsonschema.NewCompiler()
		c.AssertFormat()
		if err := c.AddResource("org-report.schema.json", doc); err != nil {
			schemaErr = err
			return
		}
		compiledSchema, schemaErr = c.Compile("org-report.schema.json")
	})
	if schemaErr != nil {
		return fmt.Errorf("the organisation report schema: %w", schemaErr)
	}
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
	if err != nil {
		return err
	}
	return compiledSchema.Validate(doc)
}
