"""huiwu's local web page: office staff make the whole packet in their browser (``huiwu serve``)."""
