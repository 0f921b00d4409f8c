"""Private helpers of the business licence kind (`checker.documents.business_licence`)."""
