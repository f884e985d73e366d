//! The progress bar of a run on stderr (indicatif): how far `batch` has
//! read, told through [`batch::Progress`]. A bar is made for each run and
//! cleared at its end.

use std::sync::Mutex;

use crate::batch;

/// A progress bar on stderr, made when a run first tells how far it read.
#[derive(Debug, Default)]
pub struct Bar {
    bar: Mutex<Option<indicatif::ProgressBar>>,
}

impl batch::Progress for Bar {
    fn advance(&self, position: u64, total: Option<u64>) {
        let mut bar = self
            .bar
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let bar = bar.get_or_insert_with(new_bar);
        if let Some(total) = total {
            bar.set_length(total);
        }
        bar.set_position(position);
    }

    fn finish(&self) {
        let mut bar = self
            .bar
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some(bar) = bar.take() {
            bar.finish_and_clear();
        }
    }
}

/// A progress bar on stderr when stderr is a terminal.
pub fn on_terminal() -> Option<std::sync::Arc<dyn batch::Progress>> {
    use std::io::IsTerminal as _;
    std::io::stderr()
        .is_terminal()
        .then(|| std::sync::Arc::new(Bar::default()) as std::sync::Arc<dyn batch::Progress>)
}

fn new_bar() -> indicatif::ProgressBar {
    let bar = indicatif::ProgressBar::new(0);
    bar.set_style(
        indicatif::ProgressStyle::with_template("{spinner} {bytes}/{total_bytes} {wide_bar} {eta}")
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    );
    bar.set_draw_target(indicatif::ProgressDrawTarget::stderr());
    bar
}
