//go:build !windows && !darwin

package filedialog

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// fakeZenity puts a zenity of its own first and alone on PATH: it writes the arguments it got, one a line, to
// args, then answers as zenity does: the chosen path on stdout and status 0, status 1 for Cancel, or another
// status with a message on stderr when it cannot show a dialog.
func fakeZenity(t *testing.T) (args string) {
	t.Helper()
	dir := t.TempDir()
	args = filepath.Join(dir, "args")
	script := `#!/bin/sh
printf '%s\n' "$@" >"$FAKE_ZENITY_ARGS"
case "$FAKE_ZENITY_ANSWER" in
cancel) exit 1 ;;
broken) echo 'cannot open display' >&2; exit 255 ;;
esac
printf '%s\n' "$FAKE_ZENITY_ANSWER"
`
	if err := os.WriteFile(filepath.Join(dir, "zenity"), []byte(script), 0o700); err != nil {
		t.Fatal(err)
	}
	t.Setenv("PATH", dir)
	t.Setenv("FAKE_ZENITY_ARGS", args)
	return args
}

func TestSavePathAsksZenityAndReadsItsAnswer(t *testing.T) {
	args := fakeZenity(t)
	tests := []struct {
		answer  string
		want    string
		wantErr string
	}{
		{answer: "/home/ann/Documents/Invoice 1002 Acme Ltd.pdf", want: "/home/ann/Documents/Invoice 1002 Acme Ltd.pdf"},
		{answer: "cancel", want: ""},
		{answer: "broken", wantErr: "cannot open display"},
	}
	for _, tt := range tests {
		t.Run(tt.answer, func(t *testing.T) {
			t.Setenv("FAKE_ZENITY_ANSWER", tt.answer)
			got, err := SavePath(context.Background(), "Save the PDF", "Invoice 1002 Acme Ltd.pdf",
				Filter{Name: "PDF document", Patterns: []string{"*.pdf"}}, 0)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want one saying %q", err, tt.wantErr)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Fatalf("SavePath = %q, %v; want %q", got, err, tt.want)
			}
			data, err := os.ReadFile(args)
			if err != nil {
				t.Fatal(err)
			}
			gotArgs := strings.Split(strings.TrimSuffix(string(data), "\n"), "\n")
			// zenity's own options (zenity --help-file-selection): a save dialog with our title, the suggested
			// name, the overwrite question and the PDF filter, its pattern in both cases.
			for _, want := range [][]string{
				{"--file-selection", "--save"},
				{"--title", "Save the PDF"},
				{"--filename", "Invoice 1002 Acme Ltd.pdf"},
				{"--confirm-overwrite"},
				{"--file-filter=PDF document|*.[pP][dD][fF]"},
			} {
				if !containsRun(gotArgs, want) {
					t.Errorf("zenity got %q, without %q", gotArgs, want)
				}
			}
		})
	}
}

// containsRun reports whether want appears in args, in order and next to each other.
func containsRun(args, want []string) bool {
	for i := range args {
		if len(args)-i >= len(want) && slices.Equal(args[i:i+len(want)], want) {
			return true
		}
	}
	return false
}
