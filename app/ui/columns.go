package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
)

// columns puts cells side by side, each taking its weight's share of the width, so a header and every row
// under it keep their columns aligned whatever their contents.
type columns struct {
	weights []float32 // one per cell
}

func (c columns) Layout(objects []fyne.CanvasObject, size fyne.Size) {
	pad := theme.Padding()
	width := size.Width - pad*float32(len(objects)-1)
	var total float32
	for _, w := range c.weights {
		total += w
	}
	x := float32(0)
	for i, o := range objects {
		w := width * c.weights[i] / total
		o.Move(fyne.NewPos(x, 0))
		o.Resize(fyne.NewSize(w, size.Height))
		x += w + pad
	}
}

func (c columns) MinSize(objects []fyne.CanvasObject) fyne.Size {
	var height float32
	for _, o := range objects {
		height = max(height, o.MinSize().Height)
	}
	return fyne.NewSize(float32(len(objects))*theme.Padding(), height)
}
