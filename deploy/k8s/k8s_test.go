// Package k8s holds the Kubernetes recipe of the organisation audit: an
// Indexed Job whose pods each audit one shard, and the Job that merges
// them. Its test decodes the manifests strictly into the Kubernetes API
// types, so a misspelt or misplaced field fails.
package k8s

import (
	"bytes"
	"fmt"
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"

	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/runtime"
	kjson "k8s.io/apimachinery/pkg/runtime/serializer/json"
)

// documents splits a multi-document YAML file.
func documents(t *testing.T, path string) [][]byte {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var docs [][]byte
	for _, d := range regexp.MustCompile(`(?m)^---\s*$`).Split(string(data), -1) {
		if strings.TrimSpace(stripComments(d)) != "" {
			docs = append(docs, []byte(d))
		}
	}
	return docs
}

func stripComments(s string) string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if !strings.HasPrefix(strings.TrimSpace(l), "#") {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}

// strict is the API machinery's YAML decoder in strict mode, over a
// scheme of the kinds the recipe uses: an unknown field, a field of the
// wrong case, a duplicate field or a value of the wrong type is an error.
var strict = func() *kjson.Serializer {
	scheme := runtime.NewScheme()
	if err := batchv1.AddToScheme(scheme); err != nil {
		panic(err)
	}
	if err := corev1.AddToScheme(scheme); err != nil {
		panic(err)
	}
	return kjson.NewSerializerWithOptions(kjson.DefaultMetaFactory, scheme, scheme, kjson.SerializerOptions{Yaml: true, Strict: true})
}()

// decode decodes one document strictly into the API type its kind names.
func decode(doc []byte) (any, error) {
	obj, gvk, err := strict.Decode(doc, nil, nil)
	if err != nil {
		return nil, err
	}
	switch obj.(type) {
	case *batchv1.Job, *corev1.ServiceAccount, *corev1.PersistentVolumeClaim:
		return obj, nil
	}
	return nil, fmt.Errorf("unexpected %s", gvk)
}

func decodeAll(t *testing.T, path string) []any {
	t.Helper()
	var objs []any
	for i, d := range documents(t, path) {
		obj, err := decode(d)
		if err != nil {
			t.Fatalf("%s document %d: %v", path, i+1, err)
		}
		objs = append(objs, obj)
	}
	return objs
}

func TestIndexedJobManifest(t *testing.T) {
	objs := decodeAll(t, "lockdown-org-audit.yaml")
	var job *batchv1.Job
	var sa *corev1.ServiceAccount
	var pvc *corev1.PersistentVolumeClaim
	for _, o := range objs {
		switch o := o.(type) {
		case *batchv1.Job:
			job = o
		case *corev1.ServiceAccount:
			sa = o
		case *corev1.PersistentVolumeClaim:
			pvc = o
		}
	}
	if job == nil || sa == nil || pvc == nil {
		t.Fatalf("want a Job, a ServiceAccount and a PersistentVolumeClaim, got %d objects", len(objs))
	}
	spec := job.Spec
	if spec.CompletionMode == nil || *spec.CompletionMode != batchv1.IndexedCompletion {
		t.Fatalf("completionMode %v, want Indexed", spec.CompletionMode)
	}
	if spec.Completions == nil || spec.Parallelism == nil || *spec.Parallelism > *spec.Completions {
		t.Fatalf("completions %v parallelism %v", spec.Completions, spec.Parallelism)
	}
	n := int(*spec.Completions)
	pod := spec.Template.Spec
	if pod.RestartPolicy != corev1.RestartPolicyNever || pod.ServiceAccountName != sa.Name || job.Namespace != sa.Namespace {
		t.Errorf("restart %q, service account %q (want %q in %q)", pod.RestartPolicy, pod.ServiceAccountName, sa.Name, sa.Namespace)
	}
	if len(pod.Containers) != 1 {
		t.Fatalf("%d containers", len(pod.Containers))
	}
	cmd := strings.Join(append(pod.Containers[0].Command, pod.Containers[0].Args...), " ")
	// The shard comes from the completion index: K = index + 1 of N.
	want := fmt.Sprintf(`--shard "$((JOB_COMPLETION_INDEX + 1))/%d"`, n)
	if !strings.Contains(cmd, "lockdown audit --org") || !strings.Contains(cmd, want) {
		t.Errorf("command %q does not audit shard index+1 of %d (%s)", cmd, n, want)
	}
	if !strings.Contains(cmd, `--out "/out/shard-$((JOB_COMPLETION_INDEX + 1))"`) {
		t.Errorf("command %q does not write each shard to its own directory", cmd)
	}
	if len(pod.Volumes) != 1 || pod.Volumes[0].PersistentVolumeClaim == nil || pod.Volumes[0].PersistentVolumeClaim.ClaimName != pvc.Name {
		t.Errorf("volumes %+v, want the claim %s", pod.Volumes, pvc.Name)
	}

	// The merge names every shard directory the Job writes.
	var merge *batchv1.Job
	for _, o := range decodeAll(t, "lockdown-org-merge.yaml") {
		if j, ok := o.(*batchv1.Job); ok {
			merge = j
		}
	}
	if merge == nil {
		t.Fatal("no merge Job")
	}
	mc := strings.Join(append(merge.Spec.Template.Spec.Containers[0].Command, merge.Spec.Template.Spec.Containers[0].Args...), " ")
	for k := 1; k <= n; k++ {
		if !strings.Contains(mc, "/out/shard-"+strconv.Itoa(k)+" ") && !strings.HasSuffix(mc, "/out/shard-"+strconv.Itoa(k)) {
			t.Errorf("the merge does not read shard %d: %q", k, mc)
		}
	}
	if strings.Contains(mc, "/out/shard-"+strconv.Itoa(n+1)) || !strings.Contains(mc, "lockdown merge") {
		t.Errorf("merge command %q", mc)
	}
	if merge.Spec.Template.Spec.Volumes[0].PersistentVolumeClaim.ClaimName != pvc.Name {
		t.Error("the merge does not mount the shards' volume")
	}
}

// The strict decoder is what makes the test above meaningful: an unknown
// or misplaced field is refused.
func TestStrictDecodingRefusesUnknownFields(t *testing.T) {
	docs := documents(t, "lockdown-org-audit.yaml")
	var job []byte
	for _, d := range docs {
		if bytes.Contains(d, []byte("kind: Job")) {
			job = d
		}
	}
	for _, bad := range []struct{ from, to string }{
		{"completionMode: Indexed", "completionmode: Indexed"},
		{"restartPolicy: Never", "restartPolicy: Never\n      restartPolicyy: Never"},
		{"completions: 8", "completions: eight"},
	} {
		doc := bytes.Replace(job, []byte(bad.from), []byte(bad.to), 1)
		if bytes.Equal(doc, job) {
			t.Fatalf("%q not found in the Job", bad.from)
		}
		if _, err := decode(doc); err == nil {
			t.Errorf("%q decoded without an error", bad.to)
		}
	}
}
