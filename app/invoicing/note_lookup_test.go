package invoicing

import "testing"

func TestLinksToFindsOnlyThisInvoicesLink(t *testing.T) {
	const url = "https://app.qbo.intuit.com/app/invoice?txnId=12"
	for _, c := range []struct {
		name, content string
		want          bool
	}{
		{"note as written", `<p>QuickBooks invoice <b>1001</b> created: $10.00. <a href="` + url + `">Open in QuickBooks</a></p>`, true},
		{"link at the end", "see " + url, true},
		{"another invoice whose id starts alike", `<a href="https://app.qbo.intuit.com/app/invoice?txnId=123">Open</a>`, false},
		{"no link", "<p>Call back on Monday</p>", false},
	} {
		if got := linksTo(c.content, url); got != c.want {
			t.Errorf("%s: linksTo = %v, want %v", c.name, got, c.want)
		}
	}
}
