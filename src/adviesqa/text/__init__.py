"""Text helpers shared by every stage: one home for each piece of language knowledge
(numbers: `numbers`)."""
