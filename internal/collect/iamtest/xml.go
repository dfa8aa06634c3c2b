package iamtest

import (
	"encoding/base64"
	"encoding/xml"
	"fmt"
	"strings"
	"time"

	"github.com/lockdown-dev/lockdown/internal/snapshot"
)

const (
	iamNS = "https://iam.amazonaws.com/doc/2010-05-08/"
	stsNS = "https://sts.amazonaws.com/doc/2011-06-15/"
)

// xw writes Query-protocol XML.
type xw struct{ b strings.Builder }

func (w *xw) open(name string)  { w.b.WriteString("<" + name + ">") }
func (w *xw) close(name string) { w.b.WriteString("</" + name + ">") }
func (w *xw) empty(name string) { w.b.WriteString("<" + name + "/>") }

func (w *xw) leaf(name, value string) {
	w.open(name)
	_ = xml.EscapeText(&w.b, []byte(value))
	w.close(name)
}

func (w *xw) opt(name, value string) {
	if value != "" {
		w.leaf(name, value)
	}
}

func (w *xw) time(name string, t time.Time) { w.leaf(name, t.UTC().Format(time.RFC3339)) }
func (w *xw) bool(name string, v bool)      { w.leaf(name, fmt.Sprint(v)) }
func (w *xw) int(name string, v int64)      { w.leaf(name, fmt.Sprint(v)) }

// list writes <name><member>..</member>...</name>, or <name/> when empty.
func (w *xw) list(name string, n int, member func(i int)) {
	if n == 0 {
		w.empty(name)
		return
	}
	w.open(name)
	for i := 0; i < n; i++ {
		w.open("member")
		member(i)
		w.close("member")
	}
	w.close(name)
}

// EncodeDocument percent-encodes a policy document the way IAM returns it
// (RFC 3986: everything but unreserved characters and "/").
func EncodeDocument(doc []byte) string {
	var b strings.Builder
	for _, c := range doc {
		switch {
		case c >= 'A' && c <= 'Z', c >= 'a' && c <= 'z', c >= '0' && c <= '9',
			c == '-', c == '_', c == '.', c == '~', c == '/':
			b.WriteByte(c)
		default:
			fmt.Fprintf(&b, "%%%02X", c)
		}
	}
	return b.String()
}

func (w *xw) doc(name string, doc []byte) { w.leaf(name, EncodeDocument(doc)) }

func (w *xw) attached(ps []snapshot.AttachedPolicy) {
	w.list("AttachedManagedPolicies", len(ps), func(i int) {
		w.leaf("PolicyName", ps[i].Name)
		w.leaf("PolicyArn", ps[i].ARN)
	})
}

func (w *xw) inline(name string, ps []snapshot.InlinePolicy) {
	w.list(name, len(ps), func(i int) {
		w.leaf("PolicyName", ps[i].Name)
		w.doc("PolicyDocument", ps[i].Document)
	})
}

func (w *xw) tags(ts []snapshot.Tag) {
	w.list("Tags", len(ts), func(i int) {
		w.leaf("Key", ts[i].Key)
		w.leaf("Value", ts[i].Value)
	})
}

func (w *xw) boundary(b *snapshot.PermissionsBoundary) {
	if b == nil {
		return
	}
	w.open("PermissionsBoundary")
	w.leaf("PermissionsBoundaryType", b.Type)
	w.leaf("PermissionsBoundaryArn", b.ARN)
	w.close("PermissionsBoundary")
}

func (w *xw) userDetail(u *snapshot.User) {
	w.leaf("Path", u.Path)
	w.leaf("UserName", u.Name)
	w.leaf("UserId", u.ID)
	w.leaf("Arn", u.ARN)
	w.time("CreateDate", u.CreateDate)
	w.inline("UserPolicyList", u.InlinePolicies)
	w.list("GroupList", len(u.Groups), func(i int) { _ = xml.EscapeText(&w.b, []byte(u.Groups[i])) })
	w.attached(u.AttachedPolicies)
	w.boundary(u.PermissionsBoundary)
	if len(u.Tags) > 0 {
		w.tags(u.Tags)
	}
}

func (w *xw) groupDetail(g *snapshot.Group) {
	w.leaf("Path", g.Path)
	w.leaf("GroupName", g.Name)
	w.leaf("GroupId", g.ID)
	w.leaf("Arn", g.ARN)
	w.time("CreateDate", g.CreateDate)
	w.inline("GroupPolicyList", g.InlinePolicies)
	w.attached(g.AttachedPolicies)
}

func (w *xw) roleDetail(r *snapshot.Role) {
	w.leaf("Path", r.Path)
	w.leaf("RoleName", r.Name)
	w.leaf("RoleId", r.ID)
	w.leaf("Arn", r.ARN)
	w.time("CreateDate", r.CreateDate)
	w.doc("AssumeRolePolicyDocument", r.AssumeRolePolicyDocument)
	w.list("InstanceProfileList", len(r.InstanceProfiles), func(i int) {
		a := r.InstanceProfiles[i]
		w.leaf("Path", "/")
		w.leaf("InstanceProfileName", a[strings.LastIndex(a, "/")+1:])
		w.leaf("InstanceProfileId", fmt.Sprintf("AIPA%016d", i))
		w.leaf("Arn", a)
		w.time("CreateDate", r.CreateDate)
		w.empty("Roles")
	})
	w.inline("RolePolicyList", r.InlinePolicies)
	w.attached(r.AttachedPolicies)
	w.boundary(r.PermissionsBoundary)
	w.tags(r.Tags)
	if lu := r.RoleLastUsed; lu != nil {
		w.open("RoleLastUsed")
		if lu.LastUsedDate != nil {
			w.time("LastUsedDate", *lu.LastUsedDate)
		}
		w.opt("Region", lu.Region)
		w.close("RoleLastUsed")
	} else {
		w.empty("RoleLastUsed")
	}
}

// role writes a ListRoles member: no tags, boundary or last use (ListRoles
// leaves them out), but MaxSessionDuration and Description.
func (w *xw) role(r *snapshot.Role) {
	w.leaf("Path", r.Path)
	w.leaf("RoleName", r.Name)
	w.leaf("RoleId", r.ID)
	w.leaf("Arn", r.ARN)
	w.time("CreateDate", r.CreateDate)
	w.doc("AssumeRolePolicyDocument", r.AssumeRolePolicyDocument)
	w.opt("Description", r.Description)
	if r.MaxSessionDuration != nil {
		w.int("MaxSessionDuration", int64(*r.MaxSessionDuration))
	}
}

func (w *xw) policyDetail(p *snapshot.ManagedPolicy) {
	w.leaf("PolicyName", p.Name)
	w.leaf("PolicyId", p.ID)
	w.leaf("Arn", p.ARN)
	w.leaf("Path", p.Path)
	w.leaf("DefaultVersionId", p.DefaultVersionID)
	w.int("AttachmentCount", int64(p.AttachmentCount))
	w.int("PermissionsBoundaryUsageCount", int64(p.PermissionsBoundaryUsageCount))
	w.bool("IsAttachable", p.IsAttachable)
	w.opt("Description", p.Description)
	w.time("CreateDate", p.CreateDate)
	w.time("UpdateDate", p.UpdateDate)
	w.list("PolicyVersionList", len(p.Versions), func(i int) {
		v := p.Versions[i]
		w.doc("Document", v.Document)
		w.leaf("VersionId", v.VersionID)
		w.bool("IsDefaultVersion", v.IsDefaultVersion)
		w.time("CreateDate", v.CreateDate)
	})
}

// MFASeed and MFAQRCode are the secrets ListVirtualMFADevices carries when
// Account.MFASeeds is set.
const (
	MFASeed   = "JBSWY3DPEHPK3PXPSEEDSECRET"
	MFAQRCode = "\x89PNG-QRCODE-SECRET"
)

func (w *xw) mfaDevice(d *snapshot.VirtualMFADevice, acct *Account, seeds bool) {
	w.leaf("SerialNumber", d.SerialNumber)
	if seeds {
		w.leaf("Base32StringSeed", base64.StdEncoding.EncodeToString([]byte(MFASeed)))
		w.leaf("QRCodePNG", base64.StdEncoding.EncodeToString([]byte(MFAQRCode)))
	}
	if d.UserARN != "" {
		w.open("User")
		w.leaf("Path", "/")
		w.leaf("UserName", d.UserName)
		id, created := "AIDAUNKNOWN", time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)
		for i := range acct.Users {
			if acct.Users[i].ARN == d.UserARN {
				id, created = acct.Users[i].ID, acct.Users[i].CreateDate
			}
		}
		w.leaf("UserId", id)
		w.leaf("Arn", d.UserARN)
		w.time("CreateDate", created)
		w.close("User")
	}
	if d.EnableDate != nil {
		w.time("EnableDate", *d.EnableDate)
	}
}

func (w *xw) passwordPolicy(p *snapshot.PasswordPolicy) {
	w.open("PasswordPolicy")
	if p.MinimumPasswordLength != nil {
		w.int("MinimumPasswordLength", int64(*p.MinimumPasswordLength))
	}
	w.bool("RequireSymbols", p.RequireSymbols)
	w.bool("RequireNumbers", p.RequireNumbers)
	w.bool("RequireUppercaseCharacters", p.RequireUppercaseCharacters)
	w.bool("RequireLowercaseCharacters", p.RequireLowercaseCharacters)
	w.bool("AllowUsersToChangePassword", p.AllowUsersToChangePassword)
	w.bool("ExpirePasswords", p.ExpirePasswords)
	if p.MaxPasswordAge != nil {
		w.int("MaxPasswordAge", int64(*p.MaxPasswordAge))
	}
	if p.PasswordReusePrevention != nil {
		w.int("PasswordReusePrevention", int64(*p.PasswordReusePrevention))
	}
	if p.HardExpiry != nil {
		w.bool("HardExpiry", *p.HardExpiry)
	}
	w.close("PasswordPolicy")
}
