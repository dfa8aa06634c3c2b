package cli

import (
	"errors"
	"fmt"
)

// The one exit-code table (also in exitTable, shown by --help, and in the
// README).
const (
	ExitOK       = 0 // nothing failing at or above --fail-on, every selected check assessed
	ExitFindings = 1 // failing findings at or above --fail-on (wins over 3 and 4)
	ExitInput    = 2 // usage or input error: command, argument, flag, --param, check ID, snapshot, rules, output path
	ExitRuntime  = 3 // collection or runtime error: no caller identity, a report not written, a panic
	// ExitIncomplete: nothing fails at or above --fail-on, but some selected
	// check is NOT_ASSESSED (or, for collect, some source failed).
	// --allow-incomplete turns it into 0.
	ExitIncomplete = 4
)

// exitError carries the exit code an error should produce.
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string { return e.err.Error() }
func (e *exitError) Unwrap() error { return e.err }

func inputErr(format string, a ...any) error {
	return &exitError{code: ExitInput, err: fmt.Errorf(format, a...)}
}

func asInput(err error) error {
	if err == nil {
		return nil
	}
	return &exitError{code: ExitInput, err: err}
}

func asRuntime(err error) error {
	if err == nil {
		return nil
	}
	return &exitError{code: ExitRuntime, err: err}
}

// exitCode maps an error to the exit-code table. Errors without a code are
// runtime errors: an unexpected failure is never reported as success.
func exitCode(err error) int {
	if err == nil {
		return ExitOK
	}
	var e *exitError
	if errors.As(err, &e) {
		return e.code
	}
	return ExitRuntime
}
