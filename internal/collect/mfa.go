package collect

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
)

// mfaTokenProvider returns the MFA code for an assume-role profile with
// mfa_serial: the --mfa-token value when given, else a prompt like the AWS
// CLI's on stderr, answered on the terminal.
func mfaTokenProvider(serial string, opts Options) func() (string, error) {
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
		fmt.Fprintf(out, "Enter MFA code for %s: ", serial)
		line, err := bufio.NewReader(in).ReadString('\n')
		if err != nil && !(errors.Is(err, io.EOF) && line != "") {
			return "", fmt.Errorf("reading the MFA code for %s: %w", serial, err)
		}
		code := strings.TrimSpace(line)
		if code == "" {
			return "", fmt.Errorf("no MFA code entered for %s", serial)
		}
		return code, nil
	}
}
