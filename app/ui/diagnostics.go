package ui

import (
	"context"
	"fmt"
	"os"
	"runtime"
	"runtime/debug"
	"sort"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/lang"

	"dealbooks/app/invoicing"
)

// copyDiagnostics puts on the clipboard what support needs to know about this copy of Dealbooks, for the rep to
// paste into an e-mail: versions, the operating system, the connections and the folders. It never holds a
// token, a password or a client secret: the accounts' state carries none, and of the environment only the names
// of Dealbooks' variables are listed, never their values.
func (m *MainWindow) copyDiagnostics() {
	read := func(ctx context.Context) (*invoicing.AccountsState, error) {
		if m.deps.Accounts == nil {
			return nil, nil
		}
		s, err := m.deps.Accounts.State(ctx)
		if err != nil {
			return nil, nil // the window's last view of the connections stands in
		}
		return &s, nil
	}
	call(m.bg, localCall, read, func(state *invoicing.AccountsState, _ error) {
		m.app.Clipboard().SetContent(m.diagnostics(state, os.Environ()))
		m.app.SendNotification(fyne.NewNotification("Dealbooks",
			lang.X("diagnostics.copied", "Diagnostics copied. Paste them into your e-mail to support.")))
	})
}

// diagnostics is the text copyDiagnostics copies. It stays in English whatever the window's language, so that
// support reads every rep's report the same way. state is nil when the accounts could not be read; the window's
// own view of the connections stands in.
func (m *MainWindow) diagnostics(state *invoicing.AccountsState, environ []string) string {
	var b strings.Builder
	line := func(key, value string) { fmt.Fprintf(&b, "%-18s %s\n", key+":", value) }
	orUnknown := func(s string) string {
		if s == "" {
			return "(not a release build)"
		}
		return s
	}
	line("Dealbooks", m.deps.Version)
	line("Commit", orUnknown(m.deps.Commit))
	line("Built", orUnknown(m.deps.BuildDate))
	line("Go", runtime.Version())
	line("Fyne", moduleVersion("fyne.io/fyne/v2"))
	line("OS", runtime.GOOS+"/"+runtime.GOARCH)
	language := m.language
	if language == "" {
		language = "system (" + lang.SystemLocale().LanguageString() + ")"
	}
	line("Language", language)
	line("Demo workspace", yesNo(m.deps.Demo))
	if state != nil {
		line("Pipedrive", connectionDiagnosis(state.Pipedrive, state.HasClient[invoicing.Pipedrive]))
		line("QuickBooks", connectionDiagnosis(state.QuickBooks, state.HasClient[invoicing.QuickBooks]))
		secrets := "OS keychain"
		if state.SecretsInFile {
			secrets = "file in the data folder (no keychain answered)"
		}
		line("Secrets kept in", secrets)
	} else {
		line("Pipedrive", orNotConnected(m.conn.state.Pipedrive.Account))
		line("QuickBooks", orNotConnected(m.conn.state.QuickBooks.Account))
	}
	line("Data folder", m.deps.Folders.Data)
	line("Cache folder", m.deps.Folders.Cache)
	line("Logs folder", m.deps.Folders.Logs)
	line("Settings from env", strings.Join(dealbooksVariables(environ), ", "))
	return b.String()
}

// connectionDiagnosis describes one connection: how it was made and to which account, never with what.
func connectionDiagnosis(c invoicing.Connection, hasClient bool) string {
	app := "no developer app"
	if hasClient {
		app = "developer app set"
	}
	if !c.Connected {
		return "not connected; " + app
	}
	how := "signed in"
	if c.APIToken {
		how = "API token"
	}
	if c.Sandbox {
		how += ", sandbox"
	}
	return fmt.Sprintf("connected (%s) to %q, id %s; %s", how, c.Account, c.AccountID, app)
}

func orNotConnected(account string) string {
	if account == "" {
		return "not connected"
	}
	return fmt.Sprintf("connected to %q", account)
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

// dealbooksVariables returns the names, sorted, of the DEALBOOKS_ variables set in environ, or "none". Their
// values stay out: some are client secrets.
func dealbooksVariables(environ []string) []string {
	var names []string
	for _, kv := range environ {
		name, _, _ := strings.Cut(kv, "=")
		if strings.HasPrefix(name, "DEALBOOKS_") {
			names = append(names, name)
		}
	}
	if len(names) == 0 {
		return []string{"none"}
	}
	sort.Strings(names)
	return names
}

// moduleVersion is the version of module path this program was built with, or "unknown".
func moduleVersion(path string) string {
	if info, ok := debug.ReadBuildInfo(); ok {
		for _, dep := range info.Deps {
			if dep.Path == path {
				if dep.Replace != nil {
					return dep.Replace.Version
				}
				return dep.Version
			}
		}
	}
	return "unknown"
}
