"""Publishing a packet: staging and the atomic swap, letters in a batch, PDF through LibreOffice, the 汇编."""
