"""Run by bench/startup.py as a child: the floor of start-up, a bare PySide6 window showing
page 1 of FILE drawn by PyMuPDF at SCALE; prints the monotonic clock at its first paint."""

from __future__ import annotations

import resource
import sys
import time

import pymupdf
from PySide6.QtCore import QTimer
from PySide6.QtGui import QImage, QPainter, QPaintEvent
from PySide6.QtWidgets import QApplication, QWidget


class Page(QWidget):
    def __init__(self, image: QImage) -> None:
        super().__init__()
        self.image = image
        self.resize(1200, 850)

    def paintEvent(self, event: QPaintEvent) -> None:
        QPainter(self).drawImage(0, 0, self.image)
        used = resource.getrusage(resource.RUSAGE_SELF)
        cpu = round((used.ru_utime + used.ru_stime) * 1000)
        print(f"sharp {time.perf_counter():.6f} cpu {cpu}", flush=True)
        QTimer.singleShot(0, QApplication.quit)


def main(path: str, scale: float) -> int:
    app = QApplication(sys.argv[:1])
    pixmap = pymupdf.open(path)[0].get_pixmap(matrix=pymupdf.Matrix(scale, scale), alpha=False)
    image = QImage(
        pixmap.samples, pixmap.width, pixmap.height, pixmap.stride, QImage.Format.Format_RGB888
    )
    window = Page(image.copy())
    window.show()
    return app.exec()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], float(sys.argv[2])))
