package collect

import (
	"context"
	"strings"

	"github.com/aws/aws-sdk-go-v2/service/sts"

	"github.com/lockdown-dev/lockdown/internal/snapshot"
)

// callerIdentity: sts:GetCallerIdentity -> Account and Caller.
func (c *collector) callerIdentity(ctx context.Context, r *run) error {
	out, err := c.sts.GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	if err != nil {
		return err
	}
	arn := str(out.Arn)
	c.snap.Caller = &snapshot.Caller{ARN: arn, UserID: str(out.UserId), Account: str(out.Account)}
	c.snap.Account.ID = str(out.Account)
	partition, ok := arnPartition(arn)
	if !ok {
		r.partial.Store(true)
		return newSourceError("MalformedCallerARN", "GetCallerIdentity returned %q, which is not an ARN; the partition is unknown", arn)
	}
	c.snap.Account.Partition = partition
	return nil
}

// arnPartition returns the partition field of arn:partition:service:...
func arnPartition(arn string) (string, bool) {
	parts := strings.SplitN(arn, ":", 6)
	if len(parts) < 6 || parts[0] != "arn" || parts[1] == "" {
		return "", false
	}
	return parts[1], true
}
