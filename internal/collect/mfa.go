package collect

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/lockdown-dev/lockdown/internal/redact"
)

// mfaTokenProvider returns the MFA code for an assume-role profile with
// mfa_serial: the --mfa-token value when given, else a prompt like the AWS
// CLI's on stderr (redacted), answered on the terminal. The wait for the
// answer ends with ctx (the collection timeout).
func mfaTokenProvider(ctx context.Context, serial string, opts Options) func() (string, error) {
	return func() (string, error) {
		if opts.MFAToken != "" {
			return strings.TrimSpace(opts.MFAToken), nil
		}
		out := opts.Stderr
		if out == nil {
			out = os.Stderr
		}
		in := opts.Stdin
		if in == nil {
			// Read from the terminal even when stdin is redirected, as the
			// AWS CLI does; fall back to stdin without one.
			if tty, err := os.Open("/dev/tty"); err == nil {
				defer tty.Close()
				in = tty
			} else {
				in = os.Stdin
			}
		}
		fmt.Fprint(out, redact.String(fmt.Sprintf("Enter MFA code for %s: ", serial)))
		type answer struct {
			line string
			err  error
		}
		done := make(chan answer, 1)
		go func() {
			line, err := bufio.NewReader(in).ReadString('\n')
			done <- answer{line, err}
		}()
		var a answer
		select {
		case a = <-done:
		case <-ctx.Done():
			fmt.Fprintln(out)
			return "", fmt.Errorf("no MFA code entered for %s before the collection timeout: %w", serial, ctx.Err())
		}
		if a.err != nil && !(errors.Is(a.err, io.EOF) && a.line != "") {
			return "", fmt.Errorf("reading the MFA code for %s: %w", serial, a.err)
		}
		code := strings.TrimSpace(a.line)
		if code == "" {
			return "", fmt.Errorf("no MFA code entered for %s", serial)
		}
		return code, nil
	}
}
