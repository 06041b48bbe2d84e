//! Word lists and text templates the seeded help desk is made of.

/// The agents (users): first and last name.
pub const AGENTS: [(&str, &str); 8] = [
    ("Mary", "Jones"),
    ("John", "Smith"),
    ("Priya", "Patel"),
    ("Lukas", "Becker"),
    ("Amara", "Okafor"),
    ("Sofia", "Rossi"),
    ("Kenji", "Tanaka"),
    ("Noah", "Williams"),
];

/// Inbox names with their relative weight of tickets; the last one exists only for some seeds.
pub const INBOXES: [(&str, u64); 4] = [
    ("Support", 60),
    ("Billing", 20),
    ("Sales", 15),
    ("Returns", 5),
];

pub const LABELS: [&str; 10] = [
    "Refund",
    "VIP",
    "Bug",
    "Shipping",
    "Feature Request",
    "Billing Issue",
    "Urgent",
    "Account",
    "Feedback",
    "Partner",
];

pub const FIRST_NAMES: [&str; 48] = [
    "Chris", "Ruby", "Maggie", "Michael", "Olivia", "Liam", "Emma", "Ava", "Mateo", "Isla",
    "Ethan", "Mia", "Lucas", "Zoe", "Aiden", "Chloe", "Omar", "Fatima", "Hiro", "Yuki", "Elena",
    "Marco", "Ingrid", "Sven", "Aisha", "Kwame", "Lea", "Tom", "Grace", "Daniel", "Nora", "Felix",
    "Hannah", "Jonas", "Clara", "Ravi", "Anika", "Pedro", "Lucia", "Ivan", "Olga", "Sam", "Tess",
    "Victor", "Wendy", "Xavier", "Yara", "Zane",
];

pub const LAST_NAMES: [&str; 40] = [
    "Johnson", "Miller", "Smith", "Brown", "Garcia", "Martinez", "Davis", "Lopez", "Wilson",
    "Anderson", "Thomas", "Moore", "Martin", "Lee", "Clark", "Lewis", "Walker", "Hall", "Young",
    "King", "Wright", "Scott", "Green", "Baker", "Adams", "Nelson", "Hill", "Campbell", "Mitchell",
    "Roberts", "Carter", "Phillips", "Evans", "Turner", "Torres", "Parker", "Collins", "Edwards",
    "Stewart", "Morris",
];

pub const EMAIL_DOMAINS: [&str; 4] = [
    "example.com",
    "example.org",
    "mail.example.net",
    "example.co.uk",
];

/// Subject templates; `{n}` becomes an order number.
pub const SUBJECTS: [&str; 24] = [
    "help, it didn't work!",
    "i need some help",
    "Where's my package?",
    "Refund for order #{n}",
    "Can't log in to my account",
    "Charged twice for order #{n}",
    "Question about your pricing",
    "Wrong size delivered",
    "Password reset email never arrives",
    "App crashes when I upload a photo",
    "Can I change my shipping address?",
    "Invoice for order #{n}",
    "Do you ship to Canada?",
    "Discount code not working",
    "Cancel my subscription",
    "Feature idea: dark mode",
    "Damaged item in order #{n}",
    "Bulk order enquiry",
    "How do I export my data?",
    "Two-factor code not accepted",
    "Partnership opportunity",
    "Late delivery, order #{n}",
    "Thanks for the quick help!",
    "Update billing details",
];

/// Opening paragraphs of a customer's first message.
pub const CUSTOMER_OPENINGS: [&str; 12] = [
    "I was trying to do something and it just didn't work. Can you help?",
    "My package was supposed to arrive last Tuesday but the tracking page hasn't changed since.",
    "I was charged twice for the same order and would like one of the payments refunded.",
    "Every time I try to log in I get an error saying my session has expired.",
    "The item I received is not the one I ordered; the colour and the size are both wrong.",
    "Could you tell me whether the annual plan includes priority support?",
    "I'd like to cancel my subscription before the next billing date.",
    "The discount code from your newsletter says it is invalid at checkout.",
    "When I upload a photo from my phone the app closes without any message.",
    "Is it possible to change the delivery address on an order that has already shipped?",
    "We are a team of 40 and would like a quote for a bulk purchase.",
    "I can't find where to download my invoices for last year.",
];

/// Follow-up paragraphs from customers.
pub const CUSTOMER_FOLLOW_UPS: [&str; 8] = [
    "Thanks for getting back to me so quickly.",
    "I tried that but I still see the same problem.",
    "Here is the screenshot you asked for.",
    "That worked, thank you so much!",
    "Any update on this? It's been a few days.",
    "My order number is in the subject line.",
    "I restarted the app and cleared the cache, no luck.",
    "Perfect, please go ahead with the refund.",
];

/// Body paragraphs of agent replies.
pub const AGENT_PARAGRAPHS: [&str; 10] = [
    "Of course I can help!",
    "I've checked your order and it left our warehouse yesterday.",
    "I've issued a refund for the duplicate charge; it should appear within 5 business days.",
    "Could you send me a screenshot of the error you're seeing?",
    "I've reset your session on our side, please try logging in again.",
    "A replacement in the right size is on its way to you.",
    "Your subscription has been cancelled and you won't be charged again.",
    "That code expired last week, but I've applied the discount manually.",
    "Our engineers are looking into the crash and I'll update you as soon as I hear back.",
    "You can download all invoices from Settings, then Billing.",
];

/// Steps agents list in HTML replies.
pub const AGENT_STEPS: [&str; 6] = [
    "Open the app settings",
    "Choose <strong>Account</strong>",
    "Tap <em>Sign out everywhere</em>",
    "Sign in again with your email address",
    "Clear the browser cache",
    "Try the checkout once more",
];

/// Links agents paste into HTML replies.
pub const HELP_LINKS: [(&str, &str); 4] = [
    (
        "https://help.example.com/articles/shipping-times",
        "our shipping times",
    ),
    (
        "https://help.example.com/articles/refunds",
        "the refund policy",
    ),
    ("https://status.example.com", "our status page"),
    (
        "https://help.example.com/articles/two-factor",
        "the two-factor guide",
    ),
];

/// Internal notes agents leave on tickets.
pub const NOTES: [&str; 8] = [
    "Checked the order in the admin panel; payment captured twice, refund pending.",
    "Customer is on the legacy plan, do not offer the upgrade discount.",
    "Escalated to engineering, see bug tracker.",
    "Called the courier: parcel is held at the local depot.",
    "Long-time customer, please prioritise.",
    "Waiting for finance to approve the refund.",
    "Same issue reported by two other customers this week.",
    "IP address: 1.2.3.4, Page: https://site.example.com/checkout",
];

/// Attachment names and their mime types.
pub const ATTACHMENTS: [(&str, &str); 6] = [
    ("screenshot.png", "image/png"),
    ("invoice.pdf", "application/pdf"),
    ("logs.zip", "application/zip"),
    ("receipt.jpg", "image/jpeg"),
    ("notes.txt", "text/plain"),
    ("order-details.csv", "text/csv"),
];
