package collect

import (
	"context"
	"fmt"
	"regexp"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"

	"github.com/lockdown-dev/lockdown/internal/snapshot"
)

// The shapes the snapshot schema requires of what AWS returns. An entry
// that breaks them is left out and reported (MalformedResponse), so that
// one odd answer does not make the whole snapshot invalid.
var (
	arnShape     = regexp.MustCompile(`^arn:[a-z0-9-]+:[a-z0-9-]*:[a-z0-9-]*:[^:]*:.+$`)
	iamPathShape = regexp.MustCompile(`^/(.*/)?$`)
)

// malformed collects the entries of an answer that were left out.
type malformed struct {
	action string
	what   []string
}

func (m *malformed) add(format string, args ...any) {
	m.what = append(m.what, fmt.Sprintf(format, args...))
}

// err is a MalformedResponse error naming the first entries left out, or nil.
func (m *malformed) err() error {
	if len(m.what) == 0 {
		return nil
	}
	first := m.what
	if len(first) > 3 {
		first = first[:3]
	}
	msg := strings.Join(first, "; ")
	if n := len(m.what) - len(first); n > 0 {
		msg += fmt.Sprintf("; and %d more", n)
	}
	return newActionError(m.action, "MalformedResponse", "%s (left out of the snapshot)", msg)
}

// serverCertificates: iam:ListServerCertificates, every page. Metadata
// only: the API returns no certificate body or chain, and nothing of them
// is asked for.
func (c *collector) serverCertificates(ctx context.Context, r *run) error {
	const action = "iam:ListServerCertificates"
	certs := []snapshot.ServerCertificate{}
	bad := &malformed{action: action}
	err := paginate(ctx, "ListServerCertificates", c.bound(noSummaryCount, "ServerCertificates"), func(ctx context.Context, marker *string) (*string, bool, int, error) {
		out, err := c.iam.ListServerCertificates(ctx, &iam.ListServerCertificatesInput{Marker: marker, MaxItems: aws.Int32(1000)})
		if err != nil {
			return nil, false, 0, err
		}
		for _, m := range out.ServerCertificateMetadataList {
			sc := snapshot.ServerCertificate{
				Name:       str(m.ServerCertificateName),
				ID:         str(m.ServerCertificateId),
				ARN:        str(m.Arn),
				Path:       str(m.Path),
				UploadDate: utcPtr(m.UploadDate),
				Expiration: utcPtr(m.Expiration),
			}
			switch {
			case sc.Name == "":
				bad.add("a server certificate without a name (ARN %q)", sc.ARN)
			case !arnShape.MatchString(sc.ARN):
				bad.add("server certificate %q: ARN %q is not an ARN", sc.Name, sc.ARN)
			case !iamPathShape.MatchString(sc.Path):
				bad.add("server certificate %q: path %q is not an IAM path", sc.Name, sc.Path)
			default:
				certs = append(certs, sc)
			}
		}
		return out.Marker, out.IsTruncated, len(out.ServerCertificateMetadataList), nil
	})
	if len(certs) > 0 {
		c.snap.ServerCertificates = certs
	}
	if err == nil {
		err = bad.err()
	}
	if err != nil && len(certs) > 0 {
		r.partial.Store(true)
	}
	return err
}
