package cli

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"dealbooks/app/invoicing"
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
		{"deals stray argument", []string{"deals", "acme"}, `unexpected ["acme"]`},
		{"deals unknown flag", []string{"deals", "--colour"}, "flag provided but not defined: -colour"},
		{"invoice without action", []string{"invoice"}, "name an action"},
		{"invoice unknown action", []string{"invoice", "refund", "12"}, `unknown action "refund"`},
		{"draft without deal", []string{"invoice", "draft"}, "--deal ID is required"},
		{"draft with a word for deal", []string{"invoice", "draft", "--deal", "acme"}, "invalid value"},
		{"create with both customer choices", []string{"invoice", "create", "--deal", "7", "--customer", "3", "--new-customer"}, "not both"},
		{"void without id", []string{"invoice", "void"}, "the invoice Id is required"},
		{"void with a word for id", []string{"invoice", "void", "INV-1"}, "is not a QuickBooks invoice Id"},
		{"send with unknown flag", []string{"invoice", "send", "12", "--cc", "x@y.z"}, "flag provided but not defined"},
		{"history json and csv", []string{"history", "--json", "--csv"}, "not both"},
		{"history unknown status", []string{"history", "--status", "lost"}, `unknown status "lost"`},
		{"refresh stray argument", []string{"refresh", "now"}, `unexpected ["now"]`},
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

func TestCommandsThatNeedAccountsSayHowToConnect(t *testing.T) {
	var out, errOut bytes.Buffer
	code := Run(context.Background(), []string{"history"}, Env{
		Stdout: &out, Stderr: &errOut,
		OpenService: func(context.Context) (*invoicing.Service, func() error, error) {
			return nil, nil, fmt.Errorf("open workspace: %w", ErrNotConnected)
		},
	})
	if code != ExitError {
		t.Errorf("exit %d, want %d", code, ExitError)
	}
	if !strings.Contains(errOut.String(), "connect Pipedrive and QuickBooks in the Dealbooks window first") {
		t.Errorf("stderr %q does not say how to connect", errOut.String())
	}
}

// Errors reach the terminal through the same redaction as the log: a failure that quotes a token
// endpoint's answer or a request header shows no secret.
func TestErrorsOnStderrShowNoSecrets(t *testing.T) {
	secrets := []string{"eyJhbGciOiJSUzI1NiJ9.payload.sig", "RT-8f3a2b1c9d", "cafe0123456789abcdef"}
	leak := fmt.Errorf(`refresh the QuickBooks token: oauth2: "invalid_grant" {"access_token":%q,"refresh_token":%q} (Authorization: Bearer %s)`,
		secrets[0], secrets[1], secrets[2])
	var out, errOut bytes.Buffer
	code := Run(context.Background(), []string{"history"}, Env{
		Stdout: &out, Stderr: &errOut,
		OpenService: func(context.Context) (*invoicing.Service, func() error, error) { return nil, nil, leak },
	})
	if code != ExitError {
		t.Errorf("exit %d, want %d", code, ExitError)
	}
	for _, s := range secrets {
		if strings.Contains(errOut.String(), s) {
			t.Errorf("stderr shows the secret %q: %s", s, errOut.String())
		}
	}
	if !strings.Contains(errOut.String(), "invalid_grant") {
		t.Errorf("stderr = %q, want the error itself kept", errOut.String())
	}
}

// deadlineCases are commands with the deadline each is stated to have: 10 minutes for the commands that
// page through whole accounts or wait for a sign-in in the browser, 3 for the rest.
var deadlineCases = []struct {
	args  []string
	limit time.Duration
}{
	{[]string{"refresh"}, 10 * time.Minute},
	{[]string{"deals"}, 10 * time.Minute},
	{[]string{"connect", "quickbooks"}, 10 * time.Minute},
	{[]string{"invoice", "draft", "--deal", "1"}, 3 * time.Minute},
	{[]string{"invoice", "create", "--deal", "1"}, 3 * time.Minute},
	{[]string{"history"}, 3 * time.Minute},
	{[]string{"status"}, 3 * time.Minute},
}

// hangingEnv is an Env whose service and accounts open only when their context ends (a call that never
// answers), reporting to seen how long their context had.
func hangingEnv(out, errOut *bytes.Buffer, seen func(time.Duration)) Env {
	hang := func(ctx context.Context) error {
		d, ok := ctx.Deadline()
		if !ok {
			seen(-1)
			return errors.New("no deadline")
		}
		seen(time.Until(d))
		<-ctx.Done()
		return fmt.Errorf("read deal 1: %w", ctx.Err())
	}
	return Env{Stdout: out, Stderr: errOut,
		OpenService: func(ctx context.Context) (*invoicing.Service, func() error, error) {
			return nil, nil, hang(ctx)
		},
		OpenAccounts: func(ctx context.Context) (Accounts, func() error, error) {
			return nil, nil, hang(ctx)
		},
	}
}

// TestEveryCommandHasItsDeadline: the context a command opens its service or accounts with ends at the
// command's stated deadline.
func TestEveryCommandHasItsDeadline(t *testing.T) {
	for _, tt := range deadlineCases {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			ctx, cancel := context.WithCancel(context.Background())
			var out, errOut bytes.Buffer
			var got time.Duration
			env := hangingEnv(&out, &errOut, func(d time.Duration) { got = d; cancel() })
			Run(ctx, tt.args, env)
			if got > tt.limit || got < tt.limit-time.Minute {
				t.Errorf("deadline %v away, want %v", got, tt.limit)
			}
		})
	}
}

// TestCommandStoppedAtItsDeadline: when a command's deadline passes while a call waits, the call ends and
// the command exits 1 with one sentence naming the command and saying what to do.
func TestCommandStoppedAtItsDeadline(t *testing.T) {
	saved, savedDefault := deadlines, defaultDeadline
	t.Cleanup(func() { deadlines, defaultDeadline = saved, savedDefault })
	deadlines, defaultDeadline = map[string]time.Duration{}, time.Millisecond
	for _, tt := range deadlineCases {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			var out, errOut bytes.Buffer
			code := Run(context.Background(), tt.args, hangingEnv(&out, &errOut, func(time.Duration) {}))
			if code != ExitError {
				t.Errorf("exit %d, want %d", code, ExitError)
			}
			name := strings.Join(tt.args[:1], " ")
			if tt.args[0] == "invoice" {
				name = strings.Join(tt.args[:2], " ")
			}
			msg := errOut.String()
			if strings.Count(msg, "\n") != 1 || !strings.HasPrefix(msg, "dealbooks: "+name+" was stopped after 1ms without finishing;") {
				t.Errorf("stderr %q, want one sentence saying %s was stopped", msg, name)
			}
		})
	}
}
