package cli

import (
	"bytes"
	"context"
	"strings"
	"testing"
)

func run(args ...string) (code int, stdout, stderr string) {
	var out, errOut bytes.Buffer
	code = Run(context.Background(), args, Env{
		Version: "1.2.3",
		Folders: Folders{Data: "/home/rep/.local/share/dealbooks", Cache: "/home/rep/.cache/Dealbooks", Logs: "/home/rep/.local/share/dealbooks/logs"},
		Stdout:  &out,
		Stderr:  &errOut,
	})
	return code, out.String(), errOut.String()
}

func TestVersionPrintsTheVersion(t *testing.T) {
	code, out, errOut := run("version")
	if code != ExitOK || out != "dealbooks 1.2.3\n" || errOut != "" {
		t.Errorf("version = %d %q %q", code, out, errOut)
	}
}

func TestPathsPrintsEveryFolder(t *testing.T) {
	code, out, _ := run("paths")
	if code != ExitOK {
		t.Fatalf("exit %d", code)
	}
	for _, want := range []string{
		"data   /home/rep/.local/share/dealbooks\n",
		"cache  /home/rep/.cache/Dealbooks\n",
		"logs   /home/rep/.local/share/dealbooks/logs\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("paths output %q lacks %q", out, want)
		}
	}
}

func TestHelpPrintsUsageAndSucceeds(t *testing.T) {
	for _, arg := range []string{"help", "-h", "--help"} {
		code, out, _ := run(arg)
		if code != ExitOK || !strings.Contains(out, "Usage:") {
			t.Errorf("%s = %d %q", arg, code, out)
		}
	}
}

func TestWrongCommandLinesPrintUsageAndExit2(t *testing.T) {
	cases := []struct {
		name string
		args []string
		says string
	}{
		{"unknown command", []string{"frobnicate"}, `unknown command or flag "frobnicate"`},
		{"unknown flag", []string{"-x"}, `unknown command or flag "-x"`},
		{"stray argument", []string{"version", "extra"}, "takes no arguments"},
		{"nothing", nil, "Usage:"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			code, out, errOut := run(c.args...)
			if code != ExitUsage {
				t.Errorf("exit %d, want %d", code, ExitUsage)
			}
			if out != "" {
				t.Errorf("printed %q on stdout; usage errors belong on stderr", out)
			}
			if !strings.Contains(errOut, c.says) || !strings.Contains(errOut, "Usage:") {
				t.Errorf("stderr %q lacks %q and the usage", errOut, c.says)
			}
		})
	}
}
