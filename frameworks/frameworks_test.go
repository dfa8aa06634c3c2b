package frameworks

import "testing"

func TestEmbeddedFrameworksLoad(t *testing.T) {
	fws, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	if len(fws) == 0 {
		t.Fatal("no framework embedded")
	}
}

func TestParseRejectsBadShapes(t *testing.T) {
	for name, text := range map[string]string{
		"unknown key":    "name: x\ntitle: t\nversion: v\nsource: s\nbogus: 1\ncontrols: [{id: a, title: t, automated: true, checks: [C]}]\n",
		"duplicate id":   "name: x\ntitle: t\nversion: v\nsource: s\ncontrols: [{id: a, title: t, automated: true, checks: [C]}, {id: a, title: u, automated: true, checks: [C]}]\n",
		"unmapped":       "name: x\ntitle: t\nversion: v\nsource: s\ncontrols: [{id: a, title: t, automated: true}]\n",
		"manual no why":  "name: x\ntitle: t\nversion: v\nsource: s\ncontrols: [{id: a, title: t, automated: false}]\n",
		"wrong name":     "name: y\ntitle: t\nversion: v\nsource: s\ncontrols: [{id: a, title: t, automated: true, checks: [C]}]\n",
		"manual, checks": "name: x\ntitle: t\nversion: v\nsource: s\ncontrols: [{id: a, title: t, automated: false, reason: r, checks: [C]}]\n",
	} {
		if _, err := Parse("x.yaml", []byte(text)); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
	if _, err := Parse("x.yaml", []byte("name: x\ntitle: t\nversion: v\nsource: s\ncontrols: [{id: a, title: t, automated: false, reason: r}]\n")); err != nil {
		t.Errorf("valid file rejected: %v", err)
	}
}
