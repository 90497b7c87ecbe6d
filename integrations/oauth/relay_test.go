package oauth

import (
	"crypto/sha256"
	"encoding/base64"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

const relayPage = "../../assets/oauth-relay/index.html"

// relayScript returns the relay page and its one inline script.
func relayScript(t *testing.T) (page, script string) {
	t.Helper()
	page = string(readFile(t, relayPage))
	m := regexp.MustCompile(`(?s)<script>(.*?)</script>`).FindAllStringSubmatch(page, -1)
	if len(m) != 1 {
		t.Fatalf("relay page has %d inline scripts, want 1", len(m))
	}
	return page, m[0][1]
}

// relayPortPattern is the page's own regular expression for the port in the state.
func relayPortPattern(t *testing.T) *regexp.Regexp {
	t.Helper()
	_, script := relayScript(t)
	m := regexp.MustCompile(`var portInState = /(.+)/;`).FindStringSubmatch(script)
	if m == nil {
		t.Fatal("relay page: no portInState pattern")
	}
	return regexp.MustCompile(m[1])
}

func TestRelayPageTalksOnlyToTheLoopbackListener(t *testing.T) {
	page, script := relayScript(t)
	origins := regexp.MustCompile(`[a-zA-Z][a-zA-Z0-9+.-]*://[^\s"'<>]*`).FindAllString(page, -1)
	if len(origins) == 0 {
		t.Fatal("relay page names no address at all")
	}
	for _, o := range origins {
		if !strings.HasPrefix(o, "http://127.0.0.1:") {
			t.Errorf("relay page names another origin: %q", o)
		}
	}
	for _, banned := range []string{"src=", "href=", "<link", "<iframe", "<img", "<form", "fetch(", "XMLHttpRequest", "sendBeacon", "WebSocket", "import(", "postMessage", "window.open"} {
		if strings.Contains(page, banned) {
			t.Errorf("relay page contains %q", banned)
		}
	}
	if !strings.Contains(script, `["code", "state", "realmId", "error"]`) {
		t.Error("relay page does not forward exactly code, state, realmId and error")
	}
	if !strings.Contains(page, `<meta name="referrer" content="no-referrer">`) {
		t.Error("relay page may send its address, code included, as a referrer")
	}
}

func TestRelayPageCSPAllowsOnlyItsScript(t *testing.T) {
	page, script := relayScript(t)
	sum := sha256.Sum256([]byte(script))
	want := "default-src 'none'; script-src 'sha256-" + base64.StdEncoding.EncodeToString(sum[:]) + "'"
	if !strings.Contains(page, want) {
		t.Errorf("relay page CSP does not start with %q; update the hash after editing the script", want)
	}
}

func TestRelayPageFindsThePortInOurState(t *testing.T) {
	pattern := relayPortPattern(t)
	for _, port := range []int{1024, 53682, 65535} {
		s := newSession(Config{Endpoint: QuickBooks("")}, port)
		m := pattern.FindStringSubmatch(s.state)
		if m == nil || m[1] != strconv.Itoa(port) {
			t.Errorf("state %q: page reads port %v, want %d", s.state, m, port)
		}
	}
	if paste := (Config{Endpoint: QuickBooks("")}).Begin(); pattern.MatchString(paste.state) {
		t.Errorf("paste-mode state %q carries a port, so the relay page would not ask to paste", paste.state)
	}
}
