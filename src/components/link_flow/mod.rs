//! What the connect and checkout flows do the same way: where a loaded
//! link opens, moving between steps with focus following, the expiry check
//! by the service's clock, the finish (the merchant's redirect or DRUO's
//! confirmation), the answers that end the page, and the end views.
//!
//! This module only declares the parts and names what the flows use.

mod clock;
mod ending;
mod key;
mod link;
mod state;
mod steps;
mod trail;

pub use clock::{ExpiryClock, FlowLink};
pub use ending::{Ending, Words};
pub use key::submit_key;
pub use link::PublicLink;
pub use state::{End, Start, Step};
pub use steps::Steps;
pub use trail::{Place, Trail};
