"""The demo draft, version 1 and version 2, as Markdown (fictional text, written for Polyvox)."""

V1 = """# Draft principles for community networks

## Purpose

These principles guide how the national Internet Governance Forum recommends that public policy
support community networks: networks built, owned and operated by the communities they serve.

## Definitions

A community network is a network infrastructure deployed and operated by a local group to meet its
own communication needs, on a not-for-profit basis.

## Principle 1: Access to spectrum

Community networks should have affordable access to radio spectrum, including licence-exempt bands
and light-touch licensing in underused bands.

## Principle 2: Licensing

Licensing regimes should recognise community networks as a distinct category with simplified
obligations proportionate to their size.

## Principle 3: Universal service funds

Universal service funds should be open to community networks on equal terms with commercial operators.

## Principle 4: Backhaul

Operators of national backbones should offer wholesale backhaul to community networks at
cost-oriented prices.

## Principle 5: Local content and skills

Support should include training of local technicians and the production of local content.

## Principle 6: Privacy and security

Community networks must protect the privacy of their users and adopt basic security practices.

## Implementation

The secretariat will report on the implementation of these principles each year.
"""

V2 = """# Draft principles for community networks

## Purpose

These principles guide how the national Internet Governance Forum recommends that public policy
support community networks: networks built, owned and operated by the communities they serve.

## Definitions

A community network is a network infrastructure deployed and operated by a local group to meet its
own communication needs, on a not-for-profit or cooperative basis, with the community taking part in
its governance.

## Principle 1: Access to spectrum

Community networks should have affordable access to radio spectrum, including licence-exempt bands,
light-touch licensing in underused bands, and secondary use of spectrum assigned but unused in rural areas.

## Principle 2: Licensing

Licensing regimes should recognise community networks as a distinct category with simplified
obligations proportionate to their size.

## Principle 3: Universal service funds

Universal service funds should be open to community networks on equal terms with commercial
operators, with application procedures that small organisations can complete.

## Principle 4: Backhaul

Operators of national backbones should offer wholesale backhaul to community networks at
cost-oriented prices.

## Principle 5: Local content and skills

Support should include training of local technicians and the production of local content.

## Principle 6: Privacy and security

Community networks must protect the privacy of their users and adopt basic security practices.

## Principle 7: Gender inclusion

Programmes supporting community networks should set targets for the participation of women in
their governance and technical operation.

## Implementation

The secretariat will report on the implementation of these principles each year, with indicators
agreed with all stakeholder groups.
"""
