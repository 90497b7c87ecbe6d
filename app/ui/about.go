package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"dealbooks/assets"
)

// Icon is the application icon as a Fyne resource, for the app, its windows and the About dialog.
var Icon = fyne.NewStaticResource("icon.png", assets.IconPNG)

// showAbout shows the version, the commit and date of the build, and where Dealbooks keeps its data and logs.
func (m *MainWindow) showAbout() {
	logo := canvas.NewImageFromResource(Icon)
	logo.FillMode = canvas.ImageFillContain
	logo.SetMinSize(fyne.NewSize(64, 64))

	version := lang.X("about.version", "Version {{.Version}}", map[string]any{"Version": m.deps.Version})
	info := widget.NewForm(
		widget.NewFormItem(lang.X("about.commit", "Commit"), selectable(orNotRelease(m.deps.Commit))),
		widget.NewFormItem(lang.X("about.built", "Built"), selectable(orNotRelease(m.deps.BuildDate))),
		widget.NewFormItem(lang.X("settings.folders.data", "Data"), selectable(m.deps.Folders.Data)),
		widget.NewFormItem(lang.X("settings.folders.logs", "Logs"), selectable(m.deps.Folders.Logs)),
	)
	content := container.NewVBox(
		container.NewHBox(logo, container.NewVBox(
			widget.NewLabelWithStyle("Dealbooks", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
			widget.NewLabel(version),
		)),
		widget.NewLabel(lang.X("about.purpose", "Turns Pipedrive deals into QuickBooks Online invoices and keeps their status in view.")),
		info,
	)
	m.showDialog(dialog.NewCustom(lang.X("menu.about", "About Dealbooks"), lang.X("action.close", "Close"), content, m.window), nil)
}

func selectable(text string) *widget.Label {
	l := widget.NewLabel(text)
	l.Selectable = true
	return l
}

// orNotRelease is value, or a word saying this is not a release build, which records no commit or date.
func orNotRelease(value string) string {
	if value == "" {
		return lang.X("about.not_release", "not a release build")
	}
	return value
}
