import Foundation

/// A real deflated .docx (dynamic-Huffman DEFLATE, as zlib writes it), shaped like Word's output:
/// rsid attributes, run properties, paragraph tab stops, proofing marks, a bookmark, a tracked
/// deletion and insertion, a field with its instruction, a tab, a line break and a table.
/// Kept as base64 so the test target needs no resources.
///
/// Made once with this Python 3 script (standard library only), then base64-encoded:
///
/// ```python
/// # Writes draft_regulation.docx: a minimal but Word-shaped .docx (deflated entries).
/// import zipfile, base64
///
/// W = ('xmlns:wpc="http://schemas.microsoft.com/office/word/2010/wordprocessingCanvas" '
///      'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
///      'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" '
///      'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
///      'xmlns:w14="http://schemas.microsoft.com/office/word/2010/wordml" '
///      'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" '
///      'mc:Ignorable="w14"')
///
/// def run(text, props=''):
///     space = ' xml:space="preserve"' if text != text.strip() else ''
///     return f'<w:r w:rsidRPr="00A1B2C3">{props}<w:t{space}>{text}</w:t></w:r>'
///
/// def para(inner, ppr='', rsid='00D4E5F6'):
///     return f'<w:p w:rsidR="{rsid}" w:rsidRDefault="{rsid}" w14:paraId="1A2B3C4D">{ppr}{inner}</w:p>'
///
/// heading = '<w:pPr><w:pStyle w:val="1"/><w:jc w:val="center"/><w:rPr><w:rFonts w:eastAsia="黑体"/><w:sz w:val="32"/></w:rPr></w:pPr>'
/// body = ('<w:pPr><w:tabs><w:tab w:val="left" w:pos="840"/></w:tabs><w:ind w:firstLineChars="200" w:firstLine="640"/>'
///         '<w:rPr><w:rFonts w:ascii="仿宋_GB2312"/></w:rPr></w:pPr>')
/// bold = '<w:rPr><w:rFonts w:eastAsia="黑体" w:hint="eastAsia"/><w:b/></w:rPr>'
///
/// paragraphs = [
///     para(run('某某市') + '<w:proofErr w:type="spellStart"/>' + run('城市绿化条例') + '<w:proofErr w:type="spellEnd"/>' + run('（草案）'), heading),
///     para('', heading),  # an empty paragraph
///     para(run('第一章　总则', bold), heading),
///     para(run('第一条　', bold) + '<w:bookmarkStart w:id="0" w:name="_Toc1"/>'
///          + run('为了促进城市绿化事业的发展，改善生态环境，根据《中华人民共和国城乡规划法》等法律、行政法规，结合本市实际，制定本条例。')
///          + '<w:bookmarkEnd w:id="0"/>', body),
///     para(run('第二条　', bold) + run('本条例适用于本市')
///          + '<w:del w:id="1" w:author="张三" w:date="2024-05-01T10:00:00Z"><w:r><w:delText>行政区域内</w:delText></w:r></w:del>'
///          + '<w:ins w:id="2" w:author="张三" w:date="2024-05-01T10:00:00Z">' + run('城市规划区内') + '</w:ins>'
///          + run('绿化的规划、建设、保护和管理。'), body),
///     para(run('第三条　', bold) + run('本条例所称城市绿化，是指&lt;公园绿地&gt;、防护绿地&amp;附属绿地等的统称。'), body),
///     para(run('第四条　', bold) + run('市绿化主管部门负责本条例的组织实施。')
///          + '<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve"> HYPERLINK "https://example.org/" </w:instrText></w:r>'
///          + '<w:r><w:fldChar w:fldCharType="separate"/></w:r>' + run('（详见附件）') + '<w:r><w:fldChar w:fldCharType="end"/></w:r>', body),
///     para(run('附件：') + '<w:r><w:tab/></w:r>' + run('绿地分类表') + '<w:r><w:br/></w:r>' + run('（略）'), body),
/// ]
/// cell = lambda text: f'<w:tc><w:tcPr><w:tcW w:w="4000" w:type="dxa"/></w:tcPr>{para(run(text))}</w:tc>'
/// table = ('<w:tbl><w:tblPr><w:tblW w:w="0" w:type="auto"/></w:tblPr><w:tblGrid><w:gridCol w:w="4000"/><w:gridCol w:w="4000"/></w:tblGrid>'
///          f'<w:tr>{cell("类别")}{cell("说明")}</w:tr></w:tbl>')
/// sect = ('<w:sectPr w:rsidR="00D4E5F6"><w:pgSz w:w="11906" w:h="16838"/>'
///         '<w:pgMar w:top="1440" w:right="1800" w:bottom="1440" w:left="1800" w:header="851" w:footer="992" w:gutter="0"/>'
///         '<w:cols w:space="425"/><w:docGrid w:type="lines" w:linePitch="312"/></w:sectPr>')
/// document = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n'
///             f'<w:document {W}><w:body>' + ''.join(paragraphs) + table + para('') + sect + '</w:body></w:document>')
///
/// content_types = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n'
///     '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
///     '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
///     '<Default Extension="xml" ContentType="application/xml"/>'
///     '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
///     '</Types>')
/// rels = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n'
///     '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
///     '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>'
///     '</Relationships>')
/// doc_rels = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n'
///     '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"></Relationships>')
///
/// with zipfile.ZipFile('draft_regulation.docx', 'w', zipfile.ZIP_DEFLATED) as z:
///     for name, text in [('[Content_Types].xml', content_types), ('_rels/.rels', rels),
///                        ('word/document.xml', document), ('word/_rels/document.xml.rels', doc_rels)]:
///         info = zipfile.ZipInfo(name, date_time=(2024, 5, 1, 10, 0, 0))
///         info.compress_type = zipfile.ZIP_DEFLATED
///         z.writestr(info, text.encode('utf-8'))
/// ```
enum DraftRegulation {
    static var docx: [UInt8] { [UInt8](Data(base64Encoded: base64, options: .ignoreUnknownCharacters) ?? Data()) }

    /// The text `DocxText.text(of:)` must find in it.
    static let expectedLines = [
        "某某市城市绿化条例（草案）",
        "",
        "第一章　总则",
        "第一条　为了促进城市绿化事业的发展，改善生态环境，根据《中华人民共和国城乡规划法》等法律、行政法规，结合本市实际，制定本条例。",
        "第二条　本条例适用于本市城市规划区内绿化的规划、建设、保护和管理。",
        "第三条　本条例所称城市绿化，是指<公园绿地>、防护绿地&附属绿地等的统称。",
        "第四条　市绿化主管部门负责本条例的组织实施。（详见附件）",
        "附件：\t绿地分类表",
        "（略）",
        "类别",
        "说明",
    ]

    private static let base64 = """
        UEsDBBQAAAAIAABQoVgxFPcv7QAAAK8BAAATAAAAW0NvbnRlbnRfVHlwZXNdLnhtbH1QvU7DMBDekXgHyytKnDIghJJ0gDICQ3mA
        k31JrPpPPre0b8+lLR1QYbz7fvW1y713YoeZbAydXNSNFBh0NDaMnfxcv1aPUlCBYMDFgJ08IMllf3vTrg8JSbA6UCenUtKTUqQn
        9EB1TBgYGWL2UPjMo0qgNzCium+aB6VjKBhKVWYP2bcvOMDWFbHa8/vUJKMjKZ5PxDmrk5CSsxoK42oXzK+U6pxQs/LIockmumOC
        VFcTZuTvgLPunafJ1qD4gFzewDNLfcVslIl661lZ/29zpWccBqvxop/dUo4aiXhz7+oL4sGGn/7qOHf/DVBLAwQUAAAACAAAUKFY
        lW+OU7IAAAArAQAACwAAAF9yZWxzLy5yZWxzjc87DsIwDAbgHYk7RN5pWgaEUJMuCKkrKgeIEjetaB5KwqO3JwMDRQyMtn9/luvm
        aSZyxxBHZxlURQkErXRqtJrBpTtt9kBiElaJyVlkMGOEhq9X9RknkfJSHEYfSVZsZDCk5A+URjmgEbFwHm2e9C4YkXIZNPVCXoVG
        ui3LHQ2fBvCFSVrFILSqAtLNHv+xXd+PEo9O3gza9OPEVyLLImhMDB4uKKre7SKzQHlNFy/yF1BLAwQUAAAACAAAUKFYI+DmxqMF
        AADgFQAAEQAAAHdvcmQvZG9jdW1lbnQueG1s7Vhbb9NIFH5faf9D5Afeip00RSWQImgLi2BXFe0K7b4gx54kXmyPNZ7eeArQlpSW
        LveFFgjdG5UoLd1FqCSF/ph67OSJv7DHHjtJS2i7LIIVqmRlxmdmvnPmO5fx5PCREUOPDSFia9hMC/H9khBDpoJVzcylhe8Hjrd1
        CjGbyqYq69hEaWEU2cKRrq+/OjycUrEyaCCTxgDCtFPDlpIW8pRaKVG0lTwyZHu/oSkE2zhL9yvYEHE2qylIHMZEFRNSXAp6FsEK
        sm3Q1y2bQ7IthHDGu2jYQiYMZjExZAqvJCcaMjk/aLUBuiVTLaPpGh0FbOlABEN2g8IN6wn3E6wXCdIBEZt2XrPqRg3vBm3zrgyd
        4xmyZtZh4skPocrQ6wCW/d+47s/LFhJihpI6mTMxkTM6+BbMErrAsRmsjvqtFRtOQWCoZ9KCJPUkezuOA62hqAdl5UGdbhqJJ1OW
        TOSTKgTS0cSx9u5kT4Bn9ZGg6aejOgKAIVmHGYLoC39SIoEC1CPCpYSvIMexSW2YgGSbHrU1OS3UKjec17f4LPtCtLY94UvEcKFY
        V0kic/uIb+nR+LFEd3tgE+1yS9fhYauX/PmUrw7MJBhne4m/lI5aQIttIV3vpzKhoXHbgLLSDCB6lXU2fdd9OO+8mdoVeq+p7oz9
        dq1YvTbpzhffrk1uQvX3+yX460vZx3Zu3FEDyPKaCRuMRrjOTJMe3/Xe4qKzWvCePt4oFNxChRXvf4qQoHLGDtuIAh1lqQ9pYShJ
        nUkpJCSaqZkqDGY1YtPTmom68zKBeVARhWZxWjjAV75LkGwrmpYWHEippalzJ44l2uOfi3S/+KZsS1bAXosgG5EhJISegGQHT2xJ
        9gzG5/0TKigeoEMDWoONm7IBGOcGsBLfOe+d1bJTnnDWL1fX55rri1OeclZnvdkx9vMNtnLn7dq0e/sVuzvm3S65hYvezDL79bIv
        fPzKvba0UbjqrD5j12acctl9foONr7Cb02zuNQA6r+arT8ZY8ab7952NwpT3bBI67M3URuFidR4w1+EVJgCUV7nFrhfdB4tgA1t6
        VLs/DkJWfMmWZkHI691GYWtBjVjoDUKBcyDuhegnDtHydMsQ3faEjHxaK1zybi845Rnu+i0QKtJDv8Z9K+VBmscAxtYeO6uTvkSV
        KfIJTSTbpI42KT4Ql1KS//zItx6CDKAR2sUjjk2XWanEJsZ9JdFQo7SBhDvODhUnPkzxjgc5zwvfGm5KsxGgfScQnqeQoRwHEopV
        ytWlN9Bx1h+6V3+HHPSW5r3rE1uzZi85Pm39nvzw5HAnC96T582F2S+695bd6Sv7dHqIjS+yuWf+wIPn+3L0EPi+du8v8H0okg3r
        UO3+GFt5xAVQfiFgvEoJQPei4nNGBZub+9dR0TicVyuQ2bXLC7VfFqovStUXv9UDJnAvPFfgCHXvvn73wAx+srrq0xqr9waC60IG
        5eAeKW6ZDLWIEr9Itt5M7Jsf+nrPnD753alYcGu04dqIRiDydBTcWIVYWNA4yO4ssZEfUxRtMmaH68vyn9UnFyHancrLrZeY7ZUh
        fkHaS4NWzEaEzrYiFGzdpYN4/WHFCW+lUp1faAWWIbt3tnfnj/ddVGlGD5uQ+Yx+FsCGw69jfjGG4xxHfDdNPEE01e/moO3GOl+W
        lKSQ4ZZicdNKyqEU/hsCK2ebltRtUEfkaH048WPF3LaOWIH73NMWzIkNs/+3xleXX7j3Zt5vvMgdINaj4OMYFYWWjRTaR1pABqpy
        /Rc4U/H4QSlQk4f+gc72Th49Vu7boPZQbIE8mQzYJFouDybEOzm5GUwpNhrDfo1ojOaRrCJgpbMj+BjOYkz914MHg0/U3CANXsNg
        VbDuV4GwXicTHVysYsWP1bojdSgidqAKOn0aVcDoRqHgOw66/I87sfHXbNc/UEsDBBQAAAAIAABQoVjQ7x3qfwAAAJ0AAAAcAAAA
        d29yZC9fcmVscy9kb2N1bWVudC54bWwucmVsc1XMMQ4CIRCF4d7EO5DpXdDCGLOwnQcweoAJO8LGZSAMMXp7KbV8+fO+cXqnVb2o
        ypLZwn4woIh9nhcOFu63y+4EShryjGtmsvAhgcltN+OVVmz9JHEporrCYiG2Vs5ai4+UUIZciHt55Jqw9VmDLuifGEgfjDnq+muA
        G/Uf6r5QSwECFAMUAAAACAAAUKFYMRT3L+0AAACvAQAAEwAAAAAAAAAAAAAAgAEAAAAAW0NvbnRlbnRfVHlwZXNdLnhtbFBLAQIU
        AxQAAAAIAABQoViVb45TsgAAACsBAAALAAAAAAAAAAAAAACAAR4BAABfcmVscy8ucmVsc1BLAQIUAxQAAAAIAABQoVgj4ObGowUA
        AOAVAAARAAAAAAAAAAAAAACAAfkBAAB3b3JkL2RvY3VtZW50LnhtbFBLAQIUAxQAAAAIAABQoVjQ7x3qfwAAAJ0AAAAcAAAAAAAA
        AAAAAACAAcsHAAB3b3JkL19yZWxzL2RvY3VtZW50LnhtbC5yZWxzUEsFBgAAAAAEAAQAAwEAAIQIAAAAAA==
        """
}
