//! The three flows of docs/sessions.md end to end through `helpatwork_app`, against the fake
//! TeamViewer: unattended to the assigned Host, help requests from the device user, and handing a
//! session over. One binary; each flow is a module, the team harness is `support.rs`.

mod armed;
mod handover;
mod policies;
mod requests;
mod support;
mod unattended;
